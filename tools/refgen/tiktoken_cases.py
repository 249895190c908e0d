#!/usr/bin/env python3
"""Reference ids for sluice's byte-level BPE tests, from tiktoken (encode_ordinary).

Builds tiktoken's gpt2 (r50k_base) and cl100k_base encodings from the local rank files (no
download: the official patterns and special tokens are given here) and writes one JSON line per
text: {"text", "gpt2", "cl100k_base"}, for texts in many scripts and edge cases.

    python3 -m venv /tmp/venv-ref && /tmp/venv-ref/bin/pip install tiktoken
    /tmp/venv-ref/bin/python tools/refgen/tiktoken_cases.py ../shared/data/vocab/tiktoken \
        tests/data/tokenizers/tiktoken_cases.jsonl
"""
import json
import sys

import tiktoken
from tiktoken.load import load_tiktoken_bpe

GPT2_PATTERN = (r"""'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+""")
CL100K_PATTERN = (r"""'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]++[\r\n]*|\s*[\r\n]|\s+(?!\S)|\s+""")

TEXTS = [
    "Hello world", " Hello world!\n\nI'm   here  ", "naïve café 😀 日本語",
    "I'm, you're, he'll, we've, she'd, it's, don't; I'M YOU'RE HE'LL WE'VE SHE'D IT'S DON'T",
    "'s 't 're 've 'm 'll 'd ''s ?'s x'sy", "Привет, мир! Как дела? Ёжик в тумане.",
    "Γειά σου Κόσμε, ΟΔΥΣΣΕΥΣ ΣΊΣΥΦΟΣ", "مرحبا بالعالم، كيف حالك؟", "नमस्ते दुनिया, क्या हाल है?",
    "こんにちは世界、東京タワー。", "한국어 텍스트 처리", "中文分词测试：你好，世界！",
    "emoji: 👩‍👩‍👧‍👦 👍🏽 🇫🇷 ❤️‍🔥", "zero\u200bwidth\u200djoiner\ufeffbom\u2060word",
    "tabs\tand\r\nCRLF\r\n\r\nlines\nnew\x0bvertical\x0cform\x85nel",
    "  \n\n  \t \r\n   x  \n", "    leading and trailing    ", "a" * 200, " " * 77, "\n" * 20,
    "1 12 123 1234 12345 123456 3.14159 1,000,000 ١٢٣٤٥ ⅠⅡⅢ ½¾", "$100.00 + 50% = ~£75 @ 3:45pm",
    "e-mail: someone@example.com, url: https://example.org/path?q=1&r=2#frag",
    "def f(x):\n    return x ** 2  # square\n\n\tif x:\n\t\tpass\n", "<|endoftext|> is plain text here",
    "«quotes» „German“ ‘single’ — dashes – and … ellipsis", "x\u0301y\u0327z combining ̈ marks",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𝟙𝟚𝟛 mathematical", "\u3000ideographic\u3000space\u00a0nbsp\u2003em",
    "!!!???...,,,;;; ---___===", "CamelCaseWordsAndALLCAPS and snake_case_words", "",
]


def encoding(name, path, pattern, special):
    return tiktoken.Encoding(name=name, pat_str=pattern, mergeable_ranks=load_tiktoken_bpe(path),
                             special_tokens=special)


def main() -> None:
    vocab = sys.argv[1]
    gpt2 = encoding("gpt2", f"{vocab}/r50k_base.tiktoken", GPT2_PATTERN, {"<|endoftext|>": 50256})
    cl100k = encoding("cl100k_base", f"{vocab}/cl100k_base.tiktoken", CL100K_PATTERN, {
        "<|endoftext|>": 100257, "<|fim_prefix|>": 100258, "<|fim_middle|>": 100259,
        "<|fim_suffix|>": 100260, "<|endofprompt|>": 100276})
    with open(sys.argv[2], "w", encoding="utf-8") as out:
        for text in TEXTS:
            out.write(json.dumps({"text": text, "gpt2": gpt2.encode_ordinary(text),
                                  "cl100k_base": cl100k.encode_ordinary(text)},
                                 ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
