#!/usr/bin/env python3
"""Reference ids for sluice's WordPiece (BERT uncased) tests, from Hugging Face tokenizers.

Encodes a fixed list of texts (many scripts, accents, CJK, emoji, control and zero-width
characters, punctuation, long words, special-token text) with bert-base-uncased's tokenizer.json and writes one JSON
line per text: {"text", "ids", "tokens", "special_text"}, with [CLS]/[SEP] as the reference adds
them; "special_text" says whether the text holds a special token's text, which the reference
matches in the raw text.

    python3 -m venv /tmp/venv-ref && /tmp/venv-ref/bin/pip install tokenizers
    /tmp/venv-ref/bin/python tools/refgen/bert_cases.py \
        ../shared/data/vocab/bert-base-uncased/tokenizer.json tests/data/tokenizers/bert_uncased.jsonl
"""
import json
import sys

from tokenizers import Tokenizer

SPECIAL_TOKENS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]

TEXTS = [
    "Hello world",
    "Hello, World! unaffable tokenization",
    "naïve café 😀 日本語",
    "don't   stop   believing",
    "The QUICK brown fox jumped over the lazy dog's back.",
    "Привет, мир! Как дела?",
    "Γειά σου Κόσμε, ΟΔΥΣΣΕΥΣ",
    "مرحبا بالعالم",
    "नमस्ते दुनिया",
    "こんにちは世界、東京タワー",
    "한국어 텍스트 처리",
    "中文分词测试：你好，世界！",
    "emoji: 👩‍👩‍👧‍👦 👍🏽 🇫🇷",
    "zero\u200bwidth\u200djoiner\ufeffbom",
    "tabs\tand\r\nCRLF\nnewlines\x0bvertical\x0cform",
    "control\x00chars\x07here\ufffdreplacement",
    "Ünïcödé àccênts ÅÆØ ß ﬁ ligature",
    "$100.00 + 50% = ~£75 @ 3:45pm #hashtag <html> a|b ^_^ `code`",
    "e-mail: someone@example.com, url: https://example.org/path?q=1&r=2",
    "a" * 99,
    "b" * 100,
    "c" * 101,
    "supercalifragilisticexpialidocious antidisestablishmentarianism",
    "   leading and trailing spaces   ",
    "",
    "İstanbul ΣΊΣΥΦΟΣ",
    "1234567890 3.14159 1,000,000",
    "«quotes» „German“ ‘single’ — dashes – and … ellipsis",
    "x\u0301y\u0327z combining",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𝟙𝟚𝟛 mathematical",
    # Special-token text: Hugging Face matches it in the raw text (before lowercasing).
    "[CLS] the [MASK] sat on the mat [SEP]",
    "a[SEP]b [cls] [Mask] [PAD][UNK]x [ MASK ]",
]


def main() -> None:
    tokenizer = Tokenizer.from_file(sys.argv[1])
    with open(sys.argv[2], "w", encoding="utf-8") as out:
        for text in TEXTS:
            enc = tokenizer.encode(text)
            special_text = any(t in text for t in SPECIAL_TOKENS)
            out.write(json.dumps({"text": text, "ids": enc.ids, "tokens": enc.tokens,
                                  "special_text": special_text}, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
