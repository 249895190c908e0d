#!/usr/bin/env python3
"""Tokenizer throughput: sluice against the reference tokenizers on the same text, in one run.

Each line of each input file is one text (as records are in a pipeline); a last row per model
and file encodes the whole file as one text on one thread (tiktoken's encode_ordinary,
tokenizers' encode), the reference's best case. Prints MB/s for sluice
(build/bin/bench_tokenize) and for the reference's batch API (tiktoken's encode_ordinary_batch
for gpt2 and cl100k_base, Hugging Face tokenizers' encode_batch for bert-base-uncased),
single-threaded and on all cores, the ratio sluice / reference, and whether both produced the
same ids (a position-weighted checksum of every id of every line).

    python3 -m venv /tmp/venv-ref && /tmp/venv-ref/bin/pip install tokenizers tiktoken
    /tmp/venv-ref/bin/python tools/bench/bench_tokenizers.py [FILE...]

Default files: tinyshakespeare and the SMS spam messages from ../shared/data, and a multilingual
text: the translations (msgstr) that this machine's Debian packages install under
/usr/share/locale, 100 KB from each of 20 languages in many scripts (written to a temporary file;
not shipped).
"""
import gettext
import json
import os
import pathlib
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared" / "data"
BENCH = ROOT / "build" / "bin" / "bench_tokenize"
REPS = 5

TIKTOKEN_PATTERNS = {
    "gpt2": r"""'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+""",
    "cl100k_base": r"""'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]++[\r\n]*|\s*[\r\n]|\s+(?!\S)|\s+""",
}
TIKTOKEN_FILES = {"gpt2": "r50k_base.tiktoken", "cl100k_base": "cl100k_base.tiktoken"}
MODELS = ["gpt2", "cl100k_base", "bert-base-uncased"]

LOAD_REFERENCE = {
    "tiktoken": """
import tiktoken
from tiktoken.load import load_tiktoken_bpe
tok = tiktoken.Encoding(name="bench", pat_str={pattern!r},
                        mergeable_ranks=load_tiktoken_bpe({ranks!r}), special_tokens={{}})
encode = lambda lines: tok.encode_ordinary_batch(lines, num_threads={threads})
encode_one = tok.encode_ordinary
""",
    "tokenizers": """
from tokenizers import Tokenizer
tok = Tokenizer.from_file({tokenizer_json!r})
encode = lambda lines: [e.ids for e in tok.encode_batch(lines, add_special_tokens=False)]
encode_one = lambda text: tok.encode(text, add_special_tokens=False).ids
""",
}


def reference(model: str, path: pathlib.Path, threads: int, whole: bool) -> tuple:
    """MB/s and id checksum (see bench_tokenize) of the reference in a child process."""
    if model in TIKTOKEN_PATTERNS:
        load = LOAD_REFERENCE["tiktoken"].format(
            pattern=TIKTOKEN_PATTERNS[model], threads=threads,
            ranks=str(SHARED / "vocab" / "tiktoken" / TIKTOKEN_FILES[model]))
    else:
        load = LOAD_REFERENCE["tokenizers"].format(
            tokenizer_json=str(SHARED / "vocab" / model / "tokenizer.json"))
    code = load + f"""
import json, statistics, time
text = open({str(path)!r}, encoding="utf-8").read()
lines = text.split("\\n")
size = len(text.encode())
if {whole}:
    lines = [text]
    encode = lambda lines: [encode_one(lines[0])]
times = []
for _ in range({REPS}):
    start = time.perf_counter()
    out = encode(lines)
    times.append(time.perf_counter() - start)
checksum = 0
for i, ids in enumerate(out):
    for j, t in enumerate(ids):
        checksum += (i + 1) * (j + 1) * t
print(json.dumps([size / 1e6 / statistics.median(times), checksum % (1 << 64)]))
"""
    env = dict(os.environ, RAYON_NUM_THREADS=str(threads),
               TOKENIZERS_PARALLELISM="false" if threads == 1 else "true")
    out = subprocess.run([sys.executable, "-c", code], env=env, check=True,
                         capture_output=True, text=True).stdout
    return tuple(json.loads(out))


def sluice(spec: str, path: pathlib.Path, threads: int, whole: bool) -> tuple:
    out = subprocess.run([str(BENCH), "--tokenizer", spec, "--file", str(path), "--threads",
                          str(threads), "--reps", str(REPS), "--whole", str(int(whole))],
                         check=True, capture_output=True, text=True).stdout.split()
    return float(out[3]), int(out[5])


LANGUAGES = ["ar", "bn", "de", "el", "es", "fa", "fr", "he", "hi", "ja", "ka", "ko", "pl", "ru",
             "ta", "th", "tr", "uk", "vi", "zh_CN"]


def multilingual_text(per_language: int = 100_000) -> pathlib.Path:
    """A file of translated messages, one per line, from the .mo catalogs of LANGUAGES."""
    lines = []
    for language in LANGUAGES:
        size = 0
        catalogs = sorted(pathlib.Path("/usr/share/locale", language, "LC_MESSAGES").glob("*.mo"))
        for catalog in catalogs:
            try:
                with open(catalog, "rb") as f:
                    messages = gettext.GNUTranslations(f)._catalog.values()
            except (UnicodeDecodeError, IndexError, OSError):  # a malformed header
                continue
            for message in messages:
                line = " ".join(str(message).split())
                if line and size < per_language:
                    lines.append(line)
                    size += len(line.encode())
    path = pathlib.Path(tempfile.gettempdir(), "sluice-bench-multilingual.txt")
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def main() -> None:
    files = [pathlib.Path(f) for f in sys.argv[1:]] or [
        SHARED / "text" / "tinyshakespeare.txt", SHARED / "text" / "sms_spam.tsv",
        multilingual_text()]
    cores = os.cpu_count() or 1
    print(f"{'model':<18} {'file':<22} {'threads':>9} {'sluice MB/s':>12} "
          f"{'reference MB/s':>14} {'ratio':>6} same-ids")
    for name in MODELS:
        for path in files:
            for threads, whole in [(t, False) for t in sorted({1, cores})] + [(1, True)]:
                s_rate, s_ids = sluice(name, path, threads, whole)
                r_rate, r_ids = reference(name, path, threads, whole)
                how = f"{threads} (whole)" if whole else str(threads)
                print(f"{name:<18} {path.name:<22} {how:>9} {s_rate:>12.1f} {r_rate:>14.1f} "
                      f"{s_rate / r_rate:>6.2f} {s_ids == r_ids}")


if __name__ == "__main__":
    main()
