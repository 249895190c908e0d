#!/usr/bin/env python3
"""The classic training transform (decode JPEG, RandomResizedCrop 224, horizontal flip,
ToTensor + Normalize) over the same JPEGs with sluice, a torchvision DataLoader and
albumentations (in a DataLoader), at the same worker counts, in one run; prints images/s and the
ratios.

    /tmp/venv-sys/bin/python tools/bench/bench_image.py [--images 300] [--workers 1 2]

Needs torch + torchvision + PIL and albumentations (a venv made with --system-site-packages over
Debian's python3-torchvision, plus `pip install albumentations`). The JPEGs are made from
../shared/data/image/photos by random crops and resizes into a temporary directory. sluice runs
`sluice run` on a pipeline with --threads N (startup and plugin loading included in its time);
the peers iterate a DataLoader with num_workers=N, batch_size 32 (worker start included). Each
figure is the best of --repeat runs.
"""
import argparse
import glob
import json
import os
import random
import subprocess
import tempfile
import time

import numpy as np
import PIL.Image
import torch
import torchvision.transforms as T

ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), "..", ".."))
MEAN, STD = [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]


def make_jpegs(out_dir, count):
    photos = [PIL.Image.open(p).convert("RGB") for p in sorted(
        glob.glob(os.path.join(ROOT, "..", "shared", "data", "image", "photos", "*.*g")))]
    rng = random.Random(0)
    paths = []
    for i in range(count):
        img = photos[i % len(photos)]
        w, h = img.size
        cw, ch = int(w * rng.uniform(0.6, 1.0)), int(h * rng.uniform(0.6, 1.0))
        x, y = rng.randint(0, w - cw), rng.randint(0, h - ch)
        crop = img.crop((x, y, x + cw, y + ch))
        short = rng.randint(256, 427)
        s = short / min(cw, ch)
        crop = crop.resize((max(1, round(cw * s)), max(1, round(ch * s))), PIL.Image.BILINEAR)
        path = os.path.join(out_dir, f"{i:05d}.jpg")
        crop.save(path, quality=90)
        paths.append(path)
    return paths


class PilDataset(torch.utils.data.Dataset):
    def __init__(self, paths):
        self.paths = paths
        self.t = T.Compose([T.RandomResizedCrop(224), T.RandomHorizontalFlip(), T.ToTensor(),
                            T.Normalize(MEAN, STD)])

    def __len__(self):
        return len(self.paths)

    def __getitem__(self, i):
        return self.t(PIL.Image.open(self.paths[i]).convert("RGB"))


class AlbumentationsDataset(torch.utils.data.Dataset):
    def __init__(self, paths):
        import albumentations as A
        from albumentations.pytorch import ToTensorV2
        self.paths = paths
        self.t = A.Compose([A.RandomResizedCrop(size=(224, 224)), A.HorizontalFlip(),
                            A.Normalize(mean=MEAN, std=STD), ToTensorV2()])

    def __len__(self):
        return len(self.paths)

    def __getitem__(self, i):
        import cv2
        img = cv2.cvtColor(cv2.imread(self.paths[i]), cv2.COLOR_BGR2RGB)
        return self.t(image=img)["image"]


def worker_init(_):
    torch.set_num_threads(1)
    try:
        import cv2
        cv2.setNumThreads(0)
    except ImportError:
        pass


def run_loader(dataset, workers):
    loader = torch.utils.data.DataLoader(dataset, batch_size=32, num_workers=workers,
                                         worker_init_fn=worker_init)
    start = time.perf_counter()
    n = 0
    for batch in loader:
        n += batch.shape[0]
    return n / (time.perf_counter() - start)


def run_sluice(binary, image_dir, count, threads, work):
    pipeline = os.path.join(work, "bench.yaml")
    with open(pipeline, "w") as f:
        f.write(f"""sluice: 1
name: bench-image
stages:
  - name: transform
    nodes:
      - {{id: list, op: io.list_files, params: {{pattern: "{image_dir}/*.jpg"}}}}
      - {{id: decode, op: image.decode}}
      - {{id: crop, op: image.random_resized_crop, params: {{width: 224}}}}
      - {{id: flip, op: image.flip}}
      - {{id: normalize, op: image.normalize, params: {{mean: {MEAN}, std: {STD}}}}}
""")
    out = os.path.join(work, f"run{threads}")
    start = time.perf_counter()
    subprocess.run([binary, "run", pipeline, "--threads", str(threads), "--progress", "none",
                    "--out", out], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    report = json.load(open(os.path.join(out, "report.json")))
    assert report["status"] == "ok", report
    return count / wall


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--images", type=int, default=300)
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--sluice", default=None)
    args = ap.parse_args()
    binary = args.sluice or next(
        (p for p in (os.path.join(ROOT, d, "bin", "sluice") for d in ("build", "build-image"))
         if os.path.exists(p) and os.path.exists(os.path.join(os.path.dirname(p), "..", "lib",
                                                              "sluice", "plugins", "image.so"))),
        None)
    if binary is None:
        raise SystemExit("no sluice build with the image plugin; pass --sluice")
    torch.set_num_threads(1)
    with tempfile.TemporaryDirectory() as work:
        image_dir = os.path.join(work, "jpeg")
        os.makedirs(image_dir)
        paths = make_jpegs(image_dir, args.images)
        sizes = [PIL.Image.open(p).size for p in paths]
        print(f"{len(paths)} JPEGs, mean size {np.mean([s[0] for s in sizes]):.0f}x"
              f"{np.mean([s[1] for s in sizes]):.0f}; sluice: {binary}")
        print("| workers | sluice img/s | torchvision img/s | albumentations img/s "
              "| sluice / torchvision | sluice / albumentations |")
        print("|---|---|---|---|---|---|")
        for w in args.workers:
            s = max(run_sluice(binary, image_dir, len(paths), w, work) for _ in range(args.repeat))
            tv = max(run_loader(PilDataset(paths), w) for _ in range(args.repeat))
            try:
                al = max(run_loader(AlbumentationsDataset(paths), w) for _ in range(args.repeat))
            except ImportError:
                al = float("nan")
            print(f"| {w} | {s:.0f} | {tv:.0f} | {al:.0f} | {s / tv:.2f} | {s / al:.2f} |",
                  flush=True)


if __name__ == "__main__":
    main()
