#!/usr/bin/python3
"""References for the audio plugin's features, made with torchaudio.

Computes torchaudio.transforms.MelSpectrogram, AmplitudeToDB on it (sluice's audio.log_mel) and
MFCC over a grid of parameters, on a few Free Spoken Digit Dataset files (../shared/data/audio/fsdd)
and on synthetic tones, and writes tests/data/audio/torchaudio_features.json: per case the input,
the sluice params, the output shape, a few whole frames (all bins) and whole-output sums.

Run with Debian's torch (python3-torch 1.13, python3-torchaudio 0.13):
    /usr/bin/python3 tools/refgen/audio_features.py
"""
import json
import math
import os
import wave

import numpy as np
import torch
import torchaudio

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FSDD = os.path.join(os.path.dirname(ROOT), "shared", "data", "audio", "fsdd")
OUT = os.path.join(ROOT, "tests", "data", "audio", "torchaudio_features.json")

FILES = ["0_george_0.wav", "7_jackson_12.wav", "3_theo_40.wav"]


def read_wav(name):
    """int16 mono WAV as float32 in [-1, 1), as libsndfile and torchaudio.load scale it."""
    with wave.open(os.path.join(FSDD, name), "rb") as w:
        assert w.getsampwidth() == 2 and w.getnchannels() == 1
        rate = w.getframerate()
        pcm = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2")
    return torch.from_numpy(pcm.astype(np.float32) / 32768.0), rate


def tone(rate, seconds, freqs, amps, noise=0.003):
    """Sum of sines over a noise floor, quantised to 16 bits: round(32767 * x) / 32768.

    The floor (uniform in [-noise, noise] from a 31-bit LCG) keeps every bin far above float32
    rounding, as real recordings are; a pure tone leaves bins at -130 dB where float32 FFTs
    (torch's included) agree with float64 to no digit. The C++ test rebuilds the same samples.
    """
    n = np.arange(int(round(rate * seconds)), dtype=np.float64)
    x = np.zeros_like(n)
    for f, a in zip(freqs, amps):
        x += a * np.sin(2.0 * math.pi * f * n / rate)
    s = 12345
    for i in range(len(x)):
        s = (1103515245 * s + 12345) & 0x7FFFFFFF
        x[i] += noise * (s / 2147483648.0 * 2.0 - 1.0)
    q = np.round(32767.0 * x) / 32768.0
    return torch.from_numpy(q.astype(np.float32))


def mel_kwargs(p):
    return dict(sample_rate=p["sample_rate"], n_fft=p["n_fft"], win_length=p.get("win_length"),
                hop_length=p.get("hop_length"), f_min=p.get("f_min", 0.0), f_max=p.get("f_max"),
                n_mels=p["n_mels"], power=p["power"], center=p["center"],
                pad_mode=p["pad_mode"], norm=None if p["norm"] == "none" else "slaney",
                mel_scale=p["mel_scale"],
                window_fn=torch.hann_window if p["window"] == "hann" else torch.hamming_window)


def compute(op, p, x):
    if op == "mel_spectrogram":
        return torchaudio.transforms.MelSpectrogram(**mel_kwargs(p))(x)
    if op == "log_mel":
        mel = torchaudio.transforms.MelSpectrogram(**mel_kwargs(p))(x)
        stype = "power" if p["power"] == 2.0 else "magnitude"
        return torchaudio.transforms.AmplitudeToDB(stype=stype, top_db=p.get("top_db"))(mel)
    assert op == "mfcc"
    dct_norm = None if p.get("dct_norm", "ortho") == "none" else "ortho"
    m = torchaudio.transforms.MFCC(sample_rate=p["sample_rate"], n_mfcc=p["n_mfcc"],
                                   dct_type=2, norm=dct_norm, log_mels=p["log_mels"],
                                   melkwargs={k: v for k, v in mel_kwargs(p).items()
                                              if k != "sample_rate"})
    return m(x)


def sluice_params(op, p):
    """The case's params under audio.<op>'s names: audio.mfcc, as torchaudio's MFCC, calls the
    DCT's normalisation `norm` and the mel filterbank's (melkwargs' norm) `mel_norm`."""
    if op != "mfcc":
        return p
    q = {k: v for k, v in p.items() if k not in ("norm", "dct_norm")}
    q["mel_norm"] = p["norm"]
    q["norm"] = p.get("dct_norm", "ortho")
    return q


def grid():
    """(op, params) pairs: each parameter is varied against a base, plus a few combinations."""
    base = dict(n_fft=400, hop_length=160, window="hann", center=True, pad_mode="reflect",
                power=2.0, n_mels=80, mel_scale="htk", norm="none")
    variants = [
        {},
        dict(n_fft=256, hop_length=64),
        dict(n_fft=512, win_length=400, hop_length=128),
        dict(n_fft=512, win_length=320, hop_length=100, window="hamming"),
        dict(center=False),
        dict(pad_mode="constant"),
        dict(power=1.0),
        dict(mel_scale="slaney", norm="slaney"),
        dict(mel_scale="slaney"),
        dict(norm="slaney"),
        dict(n_mels=40, f_min=20.0, f_max=3800.0),
        dict(n_fft=256, win_length=200, hop_length=80, window="hamming", center=False, n_mels=40,
             mel_scale="slaney", norm="slaney", power=1.0),
    ]
    cases = []
    for v in variants:
        p = dict(base, **v)
        cases.append(("mel_spectrogram", p))
        cases.append(("log_mel", dict(p, top_db=80.0) if len(cases) % 4 == 1 else p))
    for v, extra in [({}, dict(n_mfcc=13, log_mels=False)),
                     ({}, dict(n_mfcc=40, log_mels=False)),
                     (dict(n_mels=40, f_max=3000.0), dict(n_mfcc=13, log_mels=True)),
                     (dict(n_fft=512, win_length=400, window="hamming", mel_scale="slaney",
                           norm="slaney"), dict(n_mfcc=40, log_mels=False)),
                     (dict(center=False, pad_mode="constant", power=1.0),
                      dict(n_mfcc=13, log_mels=True)),
                     (dict(norm="slaney"), dict(n_mfcc=20, log_mels=False, dct_norm="none"))]:
        cases.append(("mfcc", dict(base, **v, **extra)))
    return cases


def main():
    torch.set_num_threads(1)
    inputs = []
    for name in FILES:
        x, rate = read_wav(name)
        inputs.append(({"file": "audio/fsdd/" + name}, x, rate))
    for rate, seconds, freqs, amps in [(8000, 0.5, [440.0], [0.5]),
                                       (8000, 0.25, [300.0, 1250.0, 3100.0], [0.3, 0.2, 0.1])]:
        src = {"tone": {"sample_rate": rate, "seconds": seconds, "freqs": freqs, "amps": amps, "noise": 0.003}}
        inputs.append((src, tone(rate, seconds, freqs, amps), rate))
    out = []
    for i, (op, p) in enumerate(grid()):
        # every case on two of the five inputs, rotating, so all inputs meet all params
        for src, x, rate in (inputs[i % len(inputs)], inputs[(i + 2) % len(inputs)]):
            params = dict(p, sample_rate=rate)
            y = compute(op, params, x.unsqueeze(0))[0]
            frames = y.shape[1]
            pick = sorted({0, frames // 3, (2 * frames) // 3, frames - 1})
            clean = sluice_params(op, {k: v for k, v in params.items() if v is not None})
            out.append({
                "op": op, "source": src, "params": clean, "shape": list(y.shape),
                "frames": pick,
                "values": [[float(f"{v:.8g}") for v in y[:, t].tolist()] for t in pick],
                "sum": float(y.double().sum()), "abs_sum": float(y.double().abs().sum()),
                "max": float(y.max()),
            })
    with open(OUT, "w") as f:
        json.dump({"made_by": "tools/refgen/audio_features.py", "torch": torch.__version__,
                   "torchaudio": torchaudio.__version__, "cases": out}, f, separators=(",", ":"))
    print(f"{len(out)} cases -> {OUT} ({os.path.getsize(OUT)} bytes)")


if __name__ == "__main__":
    main()
