// GPT-2's byte-to-unicode alphabet, which byte-level BPE vocabularies (GPT-2's encoder.json and
// vocab.bpe, Hugging Face tokenizer.json files with a ByteLevel pre-tokenizer) spell their tokens
// in: each byte is one printable code point below U+0144. The printable bytes ('!'..'~',
// U+00A1..U+00AC, U+00AE..U+00FF) stand for themselves; the others, in byte order, are U+0100
// onwards. Sorted by code point, the alphabet is in GPT-2's rank order of the single bytes.
// Pure functions; thread-safe.
#pragma once

#include <array>
#include <string>
#include <string_view>

namespace sluice::text {

// The bytes in the alphabet's code-point order (GPT-2's ranks 0-255).
const std::array<unsigned char, 256>& byte_alphabet_order();

// The bytes that `text` (UTF-8 in the alphabet) spells; false when it is not in the alphabet.
bool from_byte_alphabet(std::string_view text, std::string* bytes);

// `bytes` spelled in the alphabet (UTF-8).
std::string to_byte_alphabet(std::string_view bytes);

}  // namespace sluice::text
