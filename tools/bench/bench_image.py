#!/usr/bin/env python3
"""The classic training transform (decode JPEG, RandomResizedCrop 224, horizontal flip,
ToTensor + Normalize) over the same JPEGs with sluice, a torchvision DataLoader and
albumentations (in a DataLoader), at the same worker counts, in one run; prints images/s and the
ratios, for two image sets: ImageNet-like JPEGs (about 500x375) and large photos (long side
1024-2048).

    /tmp/venv-sys/bin/python tools/bench/bench_image.py [--images 300] [--large 100]
                                                        [--workers 1 2] [--repeat 3]

sluice runs two ways: image.decode + image.random_resized_crop (the same pixels as the ops
unfused), and image.decode_random_resized_crop (decode and crop fused: only the crop's rows and
iMCU columns of a JPEG are decoded, straight to RGB, at the largest 1/2, 1/4 or 1/8 DCT scale
that keeps the crop >= 224 a side). Both are antialiased, as
torchvision; albumentations' resize is not, so an `antialias: false` run of the fused op is its
like-for-like row.

Needs torch + torchvision + PIL and albumentations (a venv made with --system-site-packages over
Debian's python3-torchvision, plus `pip install albumentations`). The JPEGs are made from
../shared/data/image/photos by random crops and resizes into a temporary directory (the large
ones are upscaled from the 640-px photos, so smoother than real photos of that size). sluice runs
`sluice run` on a pipeline with --threads N; the peers iterate a DataLoader with num_workers=N, batch_size 32 (worker start included). Each
figure is the median of --repeat runs. sluice's figure is taken from its report's wall_seconds
(the run, as the peers' loop; Python's imports are outside theirs), and in brackets with the
whole process (startup: loading the plugins and OpenCV's ~140 shared libraries, ~0.2 s).
"""
import argparse
import glob
import json
import os
import random
import statistics
import subprocess
import tempfile
import time

import numpy as np
import PIL.Image
import torch
import torchvision.transforms as T

ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), "..", ".."))
MEAN, STD = [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]


def make_jpegs(out_dir, count, short_range, prefix):
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
        short = rng.randint(*short_range)
        s = short / min(cw, ch)
        crop = crop.resize((max(1, round(cw * s)), max(1, round(ch * s))), PIL.Image.BICUBIC)
        path = os.path.join(out_dir, f"{prefix}{i:05d}.jpg")
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


def run_sluice(binary, image_dir, count, threads, work, fused, antialias=True):
    pipeline = os.path.join(work, "bench.yaml")
    aa = "true" if antialias else "false"
    if fused:
        crop = (f"      - {{id: crop, op: image.decode_random_resized_crop, "
                f"params: {{width: 224, antialias: {aa}}}}}\n")
    else:
        crop = (f"      - {{id: decode, op: image.decode}}\n"
                f"      - {{id: crop, op: image.random_resized_crop, "
                f"params: {{width: 224, antialias: {aa}}}}}\n")
    with open(pipeline, "w") as f:
        f.write(f"""sluice: 1
name: bench-image
stages:
  - name: transform
    nodes:
      - {{id: list, op: io.list_files, params: {{pattern: "{image_dir}/*.jpg"}}}}
{crop}      - {{id: flip, op: image.flip}}
      - {{id: normalize, op: image.normalize, params: {{mean: {MEAN}, std: {STD}}}}}
""")
    out = os.path.join(work, f"run{threads}")
    start = time.perf_counter()
    subprocess.run([binary, "run", pipeline, "--threads", str(threads), "--progress", "none",
                    "--out", out], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    report = json.load(open(os.path.join(out, "report.json")))
    assert report["status"] == "ok", report
    subprocess.run(["rm", "-rf", out], check=True)
    return count / report["wall_seconds"], count / wall


def median(f, repeat):
    runs = [f() for _ in range(repeat)]
    if isinstance(runs[0], tuple):
        return tuple(statistics.median(r[i] for r in runs) for i in range(len(runs[0])))
    return statistics.median(runs)


def bench_set(label, binary, image_dir, paths, args, work):
    sizes = [PIL.Image.open(p).size for p in paths]
    print(f"\n{label}: {len(paths)} JPEGs, mean size {np.mean([s[0] for s in sizes]):.0f}x"
          f"{np.mean([s[1] for s in sizes]):.0f}; img/s, median of {args.repeat}; sluice's from "
          f"its report's wall_seconds (the run; the peers' figures exclude their imports too), "
          f"in brackets with process startup")
    print("| workers | sluice decode + crop | sluice fused | torchvision | albumentations "
          "| fused / torchvision | fused / albumentations | sluice fused, antialias false "
          "| that / albumentations |")
    print("|---|---|---|---|---|---|---|---|---|")
    n = len(paths)
    for w in args.workers:
        s, s_all = median(lambda: run_sluice(binary, image_dir, n, w, work, False), args.repeat)
        sf, sf_all = median(lambda: run_sluice(binary, image_dir, n, w, work, True), args.repeat)
        sn, sn_all = median(lambda: run_sluice(binary, image_dir, n, w, work, True, False),
                            args.repeat)
        tv = median(lambda: run_loader(PilDataset(paths), w), args.repeat)
        try:
            al = median(lambda: run_loader(AlbumentationsDataset(paths), w), args.repeat)
        except ImportError:
            al = float("nan")
        print(f"| {w} | {s:.0f} ({s_all:.0f}) | {sf:.0f} ({sf_all:.0f}) | {tv:.0f} | {al:.0f} "
              f"| {sf / tv:.2f} ({sf_all / tv:.2f}) | {sf / al:.2f} ({sf_all / al:.2f}) "
              f"| {sn:.0f} ({sn_all:.0f}) | {sn / al:.2f} ({sn_all / al:.2f}) |", flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--images", type=int, default=300, help="ImageNet-like JPEGs")
    ap.add_argument("--large", type=int, default=100, help="large JPEGs (0: none)")
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--sluice", default=None)
    args = ap.parse_args()
    binary = args.sluice or next(
        (p for p in (os.path.join(ROOT, d, "bin", "sluice") for d in ("build",))
         if os.path.exists(p) and os.path.exists(os.path.join(os.path.dirname(p), "..", "lib",
                                                              "sluice", "plugins", "image.so"))),
        None)
    if binary is None:
        raise SystemExit("no sluice build with the image plugin; pass --sluice")
    torch.set_num_threads(1)
    print(f"sluice: {binary}")
    with tempfile.TemporaryDirectory() as work:
        sets = [("ImageNet-like", args.images, (333, 400))]
        if args.large:
            sets.append(("large photos", args.large, (768, 1536)))
        for label, count, short_range in sets:
            image_dir = os.path.join(work, label.split()[0])
            os.makedirs(image_dir)
            paths = make_jpegs(image_dir, count, short_range, "")
            bench_set(label, binary, image_dir, paths, args, work)


if __name__ == "__main__":
    main()
