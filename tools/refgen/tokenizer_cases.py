#!/usr/bin/env python3
"""Reference ids for sluice's byte-level BPE tests (tests/plugins/text/byte_bpe_test.cc).

Encodes a list of multilingual and edge-case texts with tiktoken's gpt2 (r50k_base) and
cl100k_base, special-token text as ordinary text (encode_ordinary), and writes one JSON line per
text: {"text": ..., "gpt2": [...], "cl100k_base": [...]}, plus, for texts that hold special-token
text, "gpt2_all" and "cl100k_base_all": the ids with allowed_special="all". The encodings are
built from the local rank files with the official patterns and special tokens, so nothing is
downloaded.

    python3 -m venv /tmp/venv-tok && /tmp/venv-tok/bin/pip install tiktoken
    /tmp/venv-tok/bin/python tools/refgen/tokenizer_cases.py ../shared/data/vocab/tiktoken \
        tests/data/tokenizers/cases.jsonl
"""
import json
import sys

import tiktoken
from tiktoken.load import load_tiktoken_bpe

GPT2_PATTERN = r"""'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"""
CL100K_PATTERN = (r"""'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}+|\p{N}{1,3}|"""
                  r""" ?[^\s\p{L}\p{N}]++[\r\n]*|\s*[\r\n]|\s+(?!\S)|\s+""")

TEXTS = [
    # Latin scripts, contractions (cl100k folds case, and 'ſ is 's), apostrophes that are not.
    "Hello world", "I'm, you're, he'll, we've, she'd, it's, don't.",
    "I'M YOU'RE HE'LL WE'VE SHE'D IT'S DON'T 'Ll 'rE 'Ve",
    "'s 't 're 've 'm 'll 'd ''s ?'s x'sy 'ſ 'ſt 'x '", "naïve café résumé Ærøskøbing ß ẞ ﬁ",
    "e\u0301 a\u0300\u0301\u0302 combining: o\u0308 n\u0303",
    # Other scripts.
    "Привет, мир! Как дела? Ёжик в тумане.", "Γειά σου Κόσμε, ΟΔΥΣΣΕΥΣ ΣΊΣΥΦΟΣ",
    "مرحبا بالعالم، كيف حالك؟ ١٢٣٤٥", "שָׁלוֹם עוֹלָם", "नमस्ते दुनिया, क्या हाल है? १२३",
    "こんにちは世界、東京タワー。ｶﾀｶﾅ", "한국어 텍스트 처리", "中文分词测试：你好，世界！",
    "ภาษาไทยไม่มีช่องว่าง", "ქართული ენა", "Հայերեն", "አማርኛ", "தமிழ் ২৩৪ ৳",
    # Emoji: ZWJ sequences, skin tones, flags, keycaps, variation selectors.
    "emoji: 👩‍👩‍👧‍👦 👍🏽 🇫🇷🇯🇵 ❤️‍🔥 1️⃣ #️⃣ 🏳️‍🌈 😀😀😀",
    # Zero-width and invisible characters.
    "zero\u200bwidth\u200cnon\u200djoiner\ufeffbom\u2060word\u00adsoft",
    # White space of all kinds: CRLF, runs, the Unicode spaces, newlines in mixed runs.
    "tabs\tand\r\nCRLF\r\n\r\nlines\nnew\x0bvertical\x0cform\x85nel",
    "  \n\n  \t \r\n   x  \n", "    leading and trailing    ", "a\u00a0b\u3000c\u2028d\u2029e\u202ff",
    "\u2003em\u2002en\u2009thin\u1680ogham \u205fmath", "x \n\r\n \r y\r\r\n\n z",
    "end with spaces   ", "end with newline\n", " ", "\n", "\r\n", "\t\t\tx",
    "a" * 300, "ab" * 150, " " * 100, "\n" * 40, " \n" * 30, "x" + " " * 50 + "y", "\t" * 33,
    # Numbers: the digit groups of cl100k, other numerals.
    "1 12 123 1234 12345 123456 3.14159 1,000,000 0x1F ⅠⅡⅢ ½¾ ²³ ⑳",
    "$100.00 + 50% = ~£75 @ 3:45pm; a1b22c333d4444",
    # Punctuation runs, code, URLs, special-token text as ordinary text.
    "!!!??? ... --- *** ### ((()))[[]]{{}}", "int main() {\n  return 0;\n}\n",
    "def f(x):\n    return x ** 2  # comment\n", "https://example.com/path?q=1&r=two#frag",
    "<|endoftext|> <|fim_prefix|>x<|fim_middle|>y<|fim_suffix|>z<|endofprompt|>",
    "user@example.com C++ C# F# .NET node.js", "“quotes” ‘single’ «guillemets» — – …",
    "a<|endoftext|><|endoftext|>b <|endoftext|>\n<|endoftext|", "<|fim_prefix|><|endofprompt|>",
]


def encoding(name, path, pattern, specials):
    return tiktoken.Encoding(name=name, pat_str=pattern, mergeable_ranks=load_tiktoken_bpe(path),
                             special_tokens=specials)


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: tokenizer_cases.py TIKTOKEN_DIR OUT.jsonl")
    vocab_dir, out_path = sys.argv[1], sys.argv[2]
    gpt2 = encoding("gpt2", vocab_dir + "/r50k_base.tiktoken", GPT2_PATTERN,
                    {"<|endoftext|>": 50256})
    cl100k = encoding("cl100k_base", vocab_dir + "/cl100k_base.tiktoken", CL100K_PATTERN,
                      {"<|endoftext|>": 100257, "<|fim_prefix|>": 100258,
                       "<|fim_middle|>": 100259, "<|fim_suffix|>": 100260,
                       "<|endofprompt|>": 100276})
    with open(out_path, "w", encoding="utf-8") as out:
        for text in TEXTS:
            line = {"text": text, "gpt2": gpt2.encode_ordinary(text),
                    "cl100k_base": cl100k.encode_ordinary(text)}
            if "<|" in text:
                line["gpt2_all"] = gpt2.encode(text, allowed_special="all")
                line["cl100k_base_all"] = cl100k.encode(text, allowed_special="all")
            out.write(json.dumps(line, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
