// The regular expressions of the byte-level BPE pre-tokenizers (text/pretokenize.h) as Hugging
// Face tokenizer.json files spell them: GPT-2's is ByteLevel's own (use_regex); cl100k_base's is
// a Split before a ByteLevel without regex.
#pragma once

namespace sluice::text {

inline constexpr const char* kCl100kRegex =
    R"('(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]++[\r\n]*|\s*[\r\n]|\s+(?!\S)|\s+)";

}  // namespace sluice::text
