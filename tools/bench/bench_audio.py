#!/usr/bin/env python3
"""Log-mel features for every FSDD file with sluice, torchaudio and librosa, in one run.

Each peer does the same job per file: decode the 8 kHz WAV, resample to 16 kHz, 80-bin log-mel
(n_fft 400, hop 160, hann, centred, power 2, dB with top_db 80). Single-threaded, then with all
cores (sluice: --threads N; the peers: a pool of N worker processes, each single-threaded).
Prints seconds of audio per second of wall time and the ratios sluice / peer. sluice's figure is
its run (report.json's wall_seconds, as the peers' timed loop, whose imports and warm-up are
outside it) and, in brackets, the whole `sluice run` process (startup and plugin loading too).

    /tmp/venv-sys/bin/python tools/bench/bench_audio.py [--data ../shared/data/audio/fsdd]
        [--sluice build/bin/sluice] [--repeat 3]

Needs torch + torchaudio (Debian python3-torch/python3-torchaudio via a venv made with
--system-site-packages) and librosa in the same interpreter.
"""
import argparse
import glob
import json
import multiprocessing as mp
import os
import subprocess
import statistics
import tempfile
import time
import wave

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

PIPELINE = """sluice: 1
name: bench-fsdd-logmel
stages:
  - name: features
    nodes:
      - {{id: list, op: io.list_files, params: {{pattern: "{data}/*.wav"}}}}
      - {{id: decode, op: audio.decode}}
      - {{id: resample, op: audio.resample, params: {{sample_rate: 16000}}}}
      - {{id: log_mel, op: audio.log_mel,
         params: {{sample_rate: 16000, n_fft: 400, hop_length: 160, n_mels: 80, top_db: 80}}}}
      - {{id: drop, op: core.filter, params: {{field: path, op: missing}}}}
"""


def audio_seconds(files):
    total = 0.0
    for f in files:
        with wave.open(f, "rb") as w:
            total += w.getnframes() / w.getframerate()
    return total


def sluice_run(binary, data, threads):
    with tempfile.TemporaryDirectory() as tmp:
        pipe = os.path.join(tmp, "bench.yaml")
        with open(pipe, "w") as f:
            f.write(PIPELINE.format(data=os.path.abspath(data)))
        t0 = time.perf_counter()
        subprocess.run([binary, "run", pipe, "--threads", str(threads), "--progress", "none",
                        "--out", os.path.join(tmp, "run")], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wall = time.perf_counter() - t0
        with open(os.path.join(tmp, "run", "report.json")) as f:
            report = json.load(f)
        for stage in report["stages"]:
            for node in stage["nodes"]:
                if node["id"] == "log_mel" and node["rejected"]:
                    raise SystemExit(f"sluice rejected {node['rejected']} files")
    return report["wall_seconds"], wall


_TA = {}


def torchaudio_one(path):
    import torch
    import torchaudio
    if not _TA:
        torch.set_num_threads(1)
        _TA["resample"] = torchaudio.transforms.Resample(8000, 16000)
        _TA["mel"] = torchaudio.transforms.MelSpectrogram(16000, n_fft=400, hop_length=160,
                                                          n_mels=80)
        _TA["db"] = torchaudio.transforms.AmplitudeToDB("power", top_db=80)
    x, sr = torchaudio.load(path)
    assert sr == 8000
    with torch.inference_mode():
        y = _TA["db"](_TA["mel"](_TA["resample"](x)))
    return y.shape[-1]


def librosa_one(path):
    import librosa
    import numpy as np
    x, sr = librosa.load(path, sr=None)
    x = librosa.resample(x, orig_sr=sr, target_sr=16000, res_type="soxr_hq")
    m = librosa.feature.melspectrogram(y=x, sr=16000, n_fft=400, hop_length=160, n_mels=80,
                                       htk=True, norm=None, power=2.0)
    y = librosa.power_to_db(m, ref=1.0, amin=1e-10, top_db=80.0)
    return np.asarray(y).shape[-1]


def _init_worker():
    os.environ["OMP_NUM_THREADS"] = "1"
    try:
        import torch
        torch.set_num_threads(1)
    except ImportError:
        pass


def peer_run(fn, files, workers):
    if workers == 1:
        fn(files[0])  # warm up (imports, kernels) outside the timing
        t0 = time.perf_counter()
        for f in files:
            fn(f)
        return time.perf_counter() - t0
    with mp.get_context("fork").Pool(workers, initializer=_init_worker) as pool:
        pool.map(fn, files[:workers * 4])
        t0 = time.perf_counter()
        pool.map(fn, files, chunksize=16)
        return time.perf_counter() - t0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", default=os.path.join(os.path.dirname(ROOT), "shared", "data",
                                                   "audio", "fsdd"))
    ap.add_argument("--sluice", default=os.path.join(ROOT, "build", "bin", "sluice"))
    ap.add_argument("--repeat", type=int, default=3, help="runs per configuration; the median")
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    args = ap.parse_args()
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    files = sorted(glob.glob(os.path.join(args.data, "*.wav")))
    seconds = audio_seconds(files)
    print(f"{len(files)} files, {seconds:.1f} s of audio; "
          f"decode, resample 8 kHz -> 16 kHz, log-mel 80 bins (n_fft 400, hop 160)")
    peers = [("sluice", lambda n: sluice_run(args.sluice, args.data, n)),
             ("torchaudio", lambda n: peer_run(torchaudio_one, files, n)),
             ("librosa", lambda n: peer_run(librosa_one, files, n))]
    for threads in sorted({1, args.threads}):
        rates = {}
        for name, run in peers:
            runs = [run(threads) for _ in range(args.repeat)]
            if name == "sluice":  # (run, process) pairs: the medians of each
                process = statistics.median(r[1] for r in runs)
                rates["sluice process"] = seconds / process
                runs = [r[0] for r in runs]
            wall = statistics.median(runs)
            rates[name] = seconds / wall
            print(f"  {threads} thread(s) {name:>10}: {wall:7.2f} s wall, "
                  f"{rates[name]:9.0f} s of audio per s" +
                  (f" ({process:.2f} s, {rates['sluice process']:.0f} with process start-up)"
                   if name == "sluice" else ""))
        for peer in ("torchaudio", "librosa"):
            print(f"  {threads} thread(s) sluice / {peer} {rates['sluice'] / rates[peer]:.2f} "
                  f"({rates['sluice process'] / rates[peer]:.2f})")


if __name__ == "__main__":
    main()
