#!/usr/bin/env python3
"""Reference for sluice's text.train_bpe (tests/plugins/text/train_bpe_test.cc).

Trains Hugging Face tokenizers' BpeTrainer on tinyshakespeare, one line (without its "\\n") per
sequence, as io.read_lines gives them to text.train_bpe: byte-level BPE with the GPT-2 pattern
(pre_tokenizers.ByteLevel(add_prefix_space=False)), the 256 byte characters as the initial
alphabet, vocab_size 1000, min_frequency 2, special token <|endoftext|>. Writes

  OUT_DIR/tinyshakespeare_bpe1000.json        the trained tokenizer as HF saves it (compact)
  OUT_DIR/tinyshakespeare_bpe1000_cases.jsonl {"text": ..., "ids": [...]} per sample text,
                                              HF's encode(text).ids (special-token text matched)
  OUT_DIR/tinyshakespeare_cl100k_bpe300.json  the same with cl100k_base's pattern (a Split
                                              before ByteLevel without regex), vocab_size 300

    python3 -m venv /tmp/venv-ref && /tmp/venv-ref/bin/pip install tokenizers
    /tmp/venv-ref/bin/python tools/refgen/bpe_train_cases.py share/data/tinyshakespeare.txt \\
        tests/data/tokenizers

With --check FILE, instead loads FILE (a tokenizer.json that text.train_bpe wrote with the
settings above) with Tokenizer.from_file and compares its merges and sample ids with HF's. With
--time VOCAB_SIZE, prints how long HF's trainer takes on the corpus for that vocab_size.
"""
import argparse
import json
import time

from tokenizers import Regex, Tokenizer, decoders, models, pre_tokenizers, trainers

CL100K_PATTERN = (r"""'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}+|\p{N}{1,3}|"""
                  r""" ?[^\s\p{L}\p{N}]++[\r\n]*|\s*[\r\n]|\s+(?!\S)|\s+""")

SAMPLES = [
    # From the corpus and near it.
    "First Citizen:", "Before we proceed any further, hear me speak.",
    "You are all resolved rather to die than to famish?", "ROMEO:\nBut, soft! what light",
    "O Romeo, Romeo! wherefore art thou Romeo?", "To be, or not to be: that is the question.",
    "I'll, you're, he'd, we've, 'tis, o'er, ne'er", "THOU ART MORE LOVELY AND MORE TEMPERATE",
    # Other scripts and accents (bytes never merged in training).
    "naïve café résumé Ærøskøbing ß ẞ ﬁ", "e\u0301 a\u0300\u0301 o\u0308",
    "Привет, мир! Ёжик в тумане.", "Γειά σου Κόσμε", "مرحبا بالعالم", "שָׁלוֹם",
    "नमस्ते दुनिया", "こんにちは世界、東京タワー。", "한국어 텍스트", "中文分词测试：你好，世界！",
    # Emoji.
    "emoji: 👩‍👩‍👧‍👦 👍🏽 🇫🇷🇯🇵 ❤️‍🔥 1️⃣ 😀😀😀",
    "zero\u200bwidth\u200cnon\u200djoiner\ufeffbom",
    # White space: CRLF, long runs, Unicode spaces, leading and trailing.
    "tabs\tand\r\nCRLF\r\n\r\nlines\nnew\x0bvertical\x0cform\x85nel", "  \n\n  \t \r\n   x  \n",
    "    leading and trailing    ", "a\u00a0b\u3000c\u2028d", "x \n\r\n \r y\r\r\n\n z",
    " " * 100, "\n" * 40, " \n" * 30, "x" + " " * 50 + "y", "\t" * 33, "end with spaces   ",
    " ", "\n", "\r\n",
    # Long words, repetition, numbers, punctuation, code.
    "a" * 300, "ab" * 150, "the" * 40, "thethe the the thee thou thine",
    "1 12 123 1234 12345 3.14159 1,000,000 ½¾ ²³", "$100.00 + 50% = ~£75 @ 3:45pm",
    "!!!??? ... --- *** ((()))[[]]{{}}", "int main() {\n  return 0;\n}\n",
    "https://example.com/path?q=1&r=two#frag", "“quotes” ‘single’ «guillemets» — …",
    # Special-token text, matched as the special token by HF.
    "<|endoftext|>", "a<|endoftext|><|endoftext|>b <|endoftext|>\n<|endoftext|",
    "KING RICHARD III:<|endoftext|>Now is the winter of our discontent",
    "", "Wherefore rejoice? What conquest brings he home?",
    "MENENIUS:\nWhat work's, my countrymen, in hand? where go you",
]


def corpus_lines(path):
    with open(path, encoding="utf-8") as f:
        return f.read().split("\n")


def train(lines, vocab_size, cl100k=False):
    tokenizer = Tokenizer(models.BPE())
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    if cl100k:
        tokenizer.pre_tokenizer = pre_tokenizers.Sequence([
            pre_tokenizers.Split(Regex(CL100K_PATTERN), behavior="isolated"),
            pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False)])
    tokenizer.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=vocab_size, min_frequency=2,
                                  special_tokens=["<|endoftext|>"],
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
                                  show_progress=False)
    tokenizer.train_from_iterator(lines, trainer)
    return tokenizer


def merges_of(tokenizer):
    return json.loads(tokenizer.to_str())["model"]["merges"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus")
    parser.add_argument("out_dir", nargs="?")
    parser.add_argument("--check")
    parser.add_argument("--time", type=int)
    args = parser.parse_args()
    lines = corpus_lines(args.corpus)
    if args.time:
        start = time.perf_counter()
        train(lines, args.time)
        print(f"HF BpeTrainer, vocab_size {args.time}: {time.perf_counter() - start:.3f} s")
        return
    tokenizer = train(lines, 1000)
    if args.check:
        ours = Tokenizer.from_file(args.check)
        same_merges = merges_of(ours) == merges_of(tokenizer)
        same_ids = all(ours.encode(t).ids == tokenizer.encode(t).ids for t in SAMPLES)
        print(f"{len(merges_of(tokenizer))} merges identical: {same_merges}; "
              f"{len(SAMPLES)} samples' ids identical: {same_ids}")
        return
    tokenizer.save(args.out_dir + "/tinyshakespeare_bpe1000.json", pretty=False)
    train(lines, 300, cl100k=True).save(args.out_dir + "/tinyshakespeare_cl100k_bpe300.json",
                                        pretty=False)
    with open(args.out_dir + "/tinyshakespeare_bpe1000_cases.jsonl", "w", encoding="utf-8") as out:
        for text in SAMPLES:
            out.write(json.dumps({"text": text, "ids": tokenizer.encode(text).ids},
                                 ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
