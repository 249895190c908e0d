#!/usr/bin/env python3
"""An OGG/Vorbis file and its decoded samples, made by an encoder and decoder other than sluice's.

python-soundfile (PyPI: its own libsndfile and libvorbis builds) encodes the FSDD recording
0_george_0.wav as OGG/Vorbis and decodes it back to float32; the test decodes the same .ogg with
sluice (Debian's libsndfile and libvorbis) and compares the samples.

    /tmp/venv-sys/bin/python tools/refgen/audio_ogg.py   # writes tests/data/audio/ogg/

Writes george_0.ogg (FSDD, CC BY-SA 4.0: see ../shared/data/audio/fsdd) and
george_0.decoded.f32 (float32 little-endian, mono, every frame soundfile decodes).
"""
import os

import numpy as np
import soundfile as sf

ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), "..", ".."))
SRC = os.path.join(ROOT, "..", "shared", "data", "audio", "fsdd", "0_george_0.wav")
OUT = os.path.join(ROOT, "tests", "data", "audio", "ogg")


def main():
    os.makedirs(OUT, exist_ok=True)
    audio, rate = sf.read(SRC, dtype="float32")
    ogg = os.path.join(OUT, "george_0.ogg")
    sf.write(ogg, audio, rate, format="OGG", subtype="VORBIS")
    decoded, decoded_rate = sf.read(ogg, dtype="float32")
    assert decoded_rate == rate and decoded.ndim == 1
    decoded.astype("<f4").tofile(os.path.join(OUT, "george_0.decoded.f32"))
    print(f"{ogg}: {os.path.getsize(ogg)} bytes, {len(decoded)} frames at {rate} Hz "
          f"(source {len(audio)} frames), libsndfile {sf.__libsndfile_version__}")


if __name__ == "__main__":
    main()
