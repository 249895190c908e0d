#!/usr/bin/env python3
"""Tokenizer throughput: sluice against Hugging Face tokenizers on the same text, in one run.

Each line of each input file is one text (as records are in a pipeline). Prints MB/s for sluice
(build/bin/bench_tokenize) and for tokenizers' encode_batch, single-threaded and on all cores,
the ratio sluice / reference, and whether both produced the same ids (a position-weighted
checksum of every id of every line).

    python3 -m venv /tmp/venv-ref && /tmp/venv-ref/bin/pip install tokenizers
    /tmp/venv-ref/bin/python tools/bench/bench_tokenizers.py [FILE...]

Default files: tinyshakespeare and the SMS spam messages from ../shared/data.
"""
import json
import os
import pathlib
import statistics
import subprocess
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared" / "data"
BENCH = ROOT / "build" / "bin" / "bench_tokenize"
REPS = 5

# name -> (sluice tokenizer spec, Hugging Face tokenizer.json)
MODELS = {
    "bert-base-uncased": ("bert-base-uncased",
                          SHARED / "vocab" / "bert-base-uncased" / "tokenizer.json"),
}


def reference(tokenizer_json: pathlib.Path, path: pathlib.Path, threads: int) -> tuple:
    """MB/s and id checksum (see bench_tokenize) of tokenizers' encode_batch in a child process with `threads` threads."""
    code = f"""
import json, statistics, sys, time
from tokenizers import Tokenizer
tok = Tokenizer.from_file({str(tokenizer_json)!r})
lines = open({str(path)!r}, encoding="utf-8", errors="replace").read().split("\\n")
size = sum(len(l.encode()) + 1 for l in lines)
times = []
for _ in range({REPS}):
    start = time.perf_counter()
    out = tok.encode_batch(lines, add_special_tokens=False)
    times.append(time.perf_counter() - start)
checksum = 0
for i, e in enumerate(out):
    for j, t in enumerate(e.ids):
        checksum += (i + 1) * (j + 1) * t
print(json.dumps([size / 1e6 / statistics.median(times), checksum % (1 << 64)]))
"""
    env = dict(os.environ, RAYON_NUM_THREADS=str(threads),
               TOKENIZERS_PARALLELISM="false" if threads == 1 else "true")
    out = subprocess.run([sys.executable, "-c", code], env=env, check=True,
                         capture_output=True, text=True).stdout
    return tuple(json.loads(out))


def sluice(spec: str, path: pathlib.Path, threads: int) -> tuple:
    out = subprocess.run([str(BENCH), "--tokenizer", spec, "--file", str(path), "--threads",
                          str(threads), "--reps", str(REPS)], check=True, capture_output=True,
                         text=True).stdout.split()
    return float(out[3]), int(out[5])


def main() -> None:
    files = [pathlib.Path(f) for f in sys.argv[1:]] or [
        SHARED / "text" / "tinyshakespeare.txt", SHARED / "text" / "sms_spam.tsv"]
    cores = os.cpu_count() or 1
    print(f"{'model':<18} {'file':<22} {'threads':>7} {'sluice MB/s':>12} "
          f"{'tokenizers MB/s':>16} {'ratio':>6} same-ids")
    for name, (spec, tokenizer_json) in MODELS.items():
        for path in files:
            for threads in sorted({1, cores}):
                s_rate, s_ids = sluice(spec, path, threads)
                r_rate, r_ids = reference(tokenizer_json, path, threads)
                print(f"{name:<18} {path.name:<22} {threads:>7} {s_rate:>12.1f} {r_rate:>16.1f} "
                      f"{s_rate / r_rate:>6.2f} {s_ids == r_ids}")


if __name__ == "__main__":
    main()
