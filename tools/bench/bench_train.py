#!/usr/bin/env python3
"""Training step time of sluice (train.fit on an nn.model) against PyTorch, on the same models,
initial weights, batches, optimizer and thread counts, in one run; prints ms per step and the
ratio sluice / PyTorch (below 1: sluice is faster).

    /tmp/venv-torch/bin/python tools/bench/bench_train.py [--sluice build/bin/sluice ...]
        [--threads 1 2] [--repeat 5] [--models mlp cnn gpt] [--scale 1] [--device cpu]
        [--matmul float32]

With --device cuda both train on the GPU: the pipeline's nn.model gets `device: cuda` (its CUDA
path) and PyTorch's model and
batches move to the same device (float32; loss.item() ends each step, waiting for the GPU, and
sluice's train.fit waits for each of its steps too), e.g.
    python tools/bench/bench_train.py --sluice build-gpu/bin/sluice --device cuda \
        --models mlp cnn gpt --threads 1 --repeat 3
With --matmul bf16 (cuda only) the matrix products of both take bfloat16 operands with float32
sums: sluice's nn.model gets `matmul: bf16`, PyTorch torch.set_float32_matmul_precision("medium")
(float32 tensors, bf16 inside the products, as cuBLAS's CUBLAS_COMPUTE_32F_FAST_16BF).

Models (all trained with AdamW, lr 1e-3, weight decay 0.01, cross entropy):
  mlp  784-256-256-10 with ReLU, batch 128, features in [-1, 1);
  cnn  a small net for OpenCV's 20x20 digits (conv 3x3 1->8, ReLU, max pool 2, conv 3x3 8->16,
       ReLU, max pool 2, flatten, linear 400->10) on 1x20x20 images, batch 64;
  gpt  pipelines/tinyshakespeare_gpt.yaml's net, larger: token + position embeddings, two
       pre-norm GPT-2 blocks (d_model 128, 4 heads, MLP 512), layer norm, linear head over 256
       byte ids, batch 16 of 64 bytes of share/data/tinyshakespeare.txt (../shared/data/text's).
Inputs and labels are drawn once (numpy seed 0); PyTorch's initial weights go to a .safetensors
file that sluice's model loads (`weights`), so both start from the same weights and see the
same batches: the losses of the warm-up steps are compared (printed as max |diff|).

What is timed. PyTorch: each step of the loop `zero_grad; forward; cross_entropy; backward;
AdamW step; loss.item()` on tensors already in memory (attention: F.scaled_dot_product_attention
with is_causal, as nanoGPT). sluice: `sluice run` on a pipeline whose first stage trains the
warm-up steps and whose second stage reads the batches (io.read_jsonl, one batch per line,
each repeated by core.repeat) into train.fit; the figure is that fit node's busy_seconds from
report.json (forward, loss, backward, optimizer step; reading and parsing the batches are other
nodes and are not counted) divided by its steps (the timed steps: 200 for mlp and cnn, 40 for
gpt, times --scale). Each side first runs --warmup steps untimed.
Each figure is, per side, the mean step time of one run of the timed steps; the table shows the
median over --repeat runs (the sluice builds and PyTorch alternate, so machine load hits all
alike; the per-run figures are printed under each row). The ratio is sluice / PyTorch.
Threads: PyTorch torch.set_num_threads(N) (interop threads 1); sluice --threads N: nn's kernels
spread their work over the run's N threads and keep OpenBLAS single-threaded; for builds before
that, where OpenBLAS ran its own threads, OPENBLAS_NUM_THREADS=N is set in sluice's environment.
"""
import argparse
import json
import os
import statistics
import subprocess
import tempfile
import time

import numpy as np
import torch
import torch.nn.functional as F
from safetensors.torch import save_file
from torch import nn

ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), "..", ".."))
SHAKESPEARE = os.path.join(ROOT, "share", "data", "tinyshakespeare.txt")  # ../shared's, copied
LR, WEIGHT_DECAY = 1e-3, 0.01


class TokenPositionEmbedding(nn.Module):
    """sluice's token_position_embedding (nanoGPT's wte + wpe)."""

    def __init__(self, vocab, block_size, dim):
        super().__init__()
        self.wte = nn.Embedding(vocab, dim)
        self.wpe = nn.Embedding(block_size, dim)

    def forward(self, ids):
        return self.wte(ids) + self.wpe(torch.arange(ids.shape[1]))


class CausalSelfAttention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.c_attn = nn.Linear(dim, 3 * dim)
        self.c_proj = nn.Linear(dim, dim)

    def forward(self, x):
        B, T, C = x.shape
        q, k, v = self.c_attn(x).split(C, dim=2)
        q, k, v = (t.view(B, T, self.heads, C // self.heads).transpose(1, 2) for t in (q, k, v))
        y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        return self.c_proj(y.transpose(1, 2).contiguous().view(B, T, C))


class MLP(nn.Module):
    def __init__(self, dim, ratio=4):
        super().__init__()
        self.c_fc = nn.Linear(dim, ratio * dim)
        self.gelu = nn.GELU()
        self.c_proj = nn.Linear(ratio * dim, dim)

    def forward(self, x):
        return self.c_proj(self.gelu(self.c_fc(x)))


class Block(nn.Module):
    """sluice's transformer_block: GPT-2's pre-norm block."""

    def __init__(self, dim, heads):
        super().__init__()
        self.ln_1 = nn.LayerNorm(dim)
        self.attn = CausalSelfAttention(dim, heads)
        self.ln_2 = nn.LayerNorm(dim)
        self.mlp = MLP(dim)

    def forward(self, x):
        x = x + self.attn(self.ln_1(x))
        return x + self.mlp(self.ln_2(x))


def features(rng, shape):
    """Values (v - 128) / 128 for bytes v: exact in float32 and in JSON's shortest decimals."""
    return ((rng.integers(0, 256, size=shape) - 128) / 128).astype(np.float32)


def mlp_case(rng, count):
    layers = [{"type": "linear", "in": 784, "out": 256}, {"type": "relu"},
              {"type": "linear", "in": 256, "out": 256}, {"type": "relu"},
              {"type": "linear", "in": 256, "out": 10}]
    model = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(),
                          nn.Linear(256, 10))
    batches = [(features(rng, (128, 784)), rng.integers(0, 10, size=128)) for _ in range(count)]
    return "mlp 784-256-256-10, batch 128", layers, model, batches


def cnn_case(rng, count):
    layers = [{"type": "conv2d", "in_channels": 1, "out_channels": 8, "kernel_size": 3,
               "padding": 1}, {"type": "relu"}, {"type": "max_pool2d", "kernel_size": 2},
              {"type": "conv2d", "in_channels": 8, "out_channels": 16, "kernel_size": 3,
               "padding": 1}, {"type": "relu"}, {"type": "max_pool2d", "kernel_size": 2},
              {"type": "flatten"}, {"type": "linear", "in": 400, "out": 10}]
    model = nn.Sequential(nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                          nn.Conv2d(8, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                          nn.Flatten(), nn.Linear(400, 10))
    batches = [(features(rng, (64, 1, 20, 20)), rng.integers(0, 10, size=64))
               for _ in range(count)]
    return "cnn digits 1x20x20, batch 64", layers, model, batches


def gpt_case(rng, count):
    V, T, C, H, B = 256, 64, 128, 4, 16
    layers = [{"type": "token_position_embedding", "num_embeddings": V, "block_size": T,
               "dim": C},
              {"type": "transformer_block", "dim": C, "heads": H},
              {"type": "transformer_block", "dim": C, "heads": H},
              {"type": "layer_norm", "dim": C}, {"type": "linear", "in": C, "out": V}]
    model = nn.Sequential(TokenPositionEmbedding(V, T, C), Block(C, H), Block(C, H),
                          nn.LayerNorm(C), nn.Linear(C, V))
    text = np.frombuffer(open(SHAKESPEARE, "rb").read(), dtype=np.uint8)
    batches = []
    for _ in range(count):
        starts = rng.integers(0, len(text) - T - 1, size=B)
        block = np.stack([text[s:s + T + 1] for s in starts]).astype(np.int64)
        batches.append((block[:, :-1].astype(np.int32), block[:, 1:]))
    return f"gpt 2 blocks d{C} h{H} seq {T}, batch {B}", layers, model, batches


CASES = {"mlp": mlp_case, "cnn": cnn_case, "gpt": gpt_case}


def tensor_json(a):
    dtype = {np.float32: "float32", np.int32: "int32", np.int64: "int64"}[a.dtype.type]
    return {"dtype": dtype, "shape": list(a.shape), "data": a.ravel().tolist()}


def write_inputs(work, name, layers, model, batches, warmup, repeat_each, device, matmul):
    weights = os.path.join(work, f"{name}.safetensors")
    save_file({k: v.contiguous() for k, v in model.state_dict().items()}, weights)
    data = os.path.join(work, f"{name}.jsonl")
    with open(data, "w") as f:
        for x, y in batches:
            f.write(json.dumps({"x": tensor_json(x), "y": tensor_json(y)}) + "\n")
    fit = "{model: model, optimizer: adamw, lr: %g, weight_decay: %g}" % (LR, WEIGHT_DECAY)
    pipeline = os.path.join(work, f"{name}.yaml")
    with open(pipeline, "w") as f:
        f.write(f"""sluice: 1
name: bench-train-{name}
resources:
  model: {{type: nn.model, device: {device}, matmul: {matmul}, weights: "{weights}",
          layers: {json.dumps(layers)}}}
stages:
  - name: warmup
    nodes:
      - {{id: read_warmup, op: io.read_jsonl, params: {{path: "{data}"}}}}
      - {{id: take_warmup, op: core.take, params: {{count: {warmup}}}}}
      - {{id: warmup, op: train.fit, inputs: {{input: x, label: y}}, params: {fit}}}
      - {{id: losses, op: io.write_jsonl, params: {{path: warmup_losses.jsonl, fields: [loss]}}}}
  - name: train
    nodes:
      - {{id: read, op: io.read_jsonl, params: {{path: "{data}"}}}}
      - {{id: repeat, op: core.repeat, params: {{count: {repeat_each}}}}}
      - {{id: fit, op: train.fit, inputs: {{input: x, label: y}}, params: {fit}}}
""")
    return pipeline


def run_sluice(binary, pipeline, threads, work):
    out = os.path.join(work, "run")
    subprocess.run(["rm", "-rf", out], check=True)
    env = dict(os.environ, OPENBLAS_NUM_THREADS=str(threads))
    subprocess.run([binary, "run", pipeline, "--threads", str(threads), "--progress", "none",
                    "--out", out], check=True, env=env, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    report = json.load(open(os.path.join(out, "report.json")))
    assert report["status"] == "ok", report
    fit = next(n for s in report["stages"] if s["name"] == "train" for n in s["nodes"]
               if n["id"] == "fit")
    losses = [json.loads(line)["loss"] for line in open(os.path.join(out, "warmup_losses.jsonl"))]
    return fit["busy_seconds"] / report["metrics"]["fit.steps"], losses


def torch_steps(model, batches, indices):
    """Trains on batches[i] for i in indices; returns each step's seconds and loss."""
    opt = torch.optim.AdamW(model.parameters(), lr=LR, weight_decay=WEIGHT_DECAY)
    seconds, losses = [], []
    for i in indices:
        x, y = batches[i]
        start = time.perf_counter()
        opt.zero_grad()
        out = model(x)
        loss = F.cross_entropy(out.reshape(-1, out.shape[-1]), y.reshape(-1))
        loss.backward()
        opt.step()
        losses.append(loss.item())
        seconds.append(time.perf_counter() - start)
    return seconds, losses


def bench_case(key, args, work):
    rng = np.random.default_rng(0)
    distinct = 8
    label, layers, model, batches = CASES[key](rng, distinct)
    steps = {"mlp": 200, "cnn": 200, "gpt": 40}[key] * args.scale
    repeat_each = max(1, steps // distinct)
    warmup = min(args.warmup, distinct)
    pipeline = write_inputs(work, key, layers, model, batches, warmup, repeat_each, args.device,
                            args.matmul)
    model.to(args.device)
    initial = {k: v.clone() for k, v in model.state_dict().items()}
    tbatches = [(torch.from_numpy(x).to(args.device), torch.from_numpy(y).to(args.device))
                for x, y in batches]
    timed = [i for i in range(distinct) for _ in range(repeat_each)]
    for threads in args.threads:
        torch.set_num_threads(threads)
        sluice_runs, torch_runs, diff = [[] for _ in args.sluice], [], 0.0
        for _ in range(args.repeat):
            s_losses = []
            for runs, binary in zip(sluice_runs, args.sluice):
                s, losses = run_sluice(binary, pipeline, threads, work)
                runs.append(s)
                s_losses += losses
            model.load_state_dict(initial)
            _, t_losses = torch_steps(model, tbatches, range(warmup))
            diff = max([diff] + [abs(a - b) for a, b in zip(s_losses, t_losses * len(args.sluice))])
            seconds, _ = torch_steps(model, tbatches, timed)
            torch_runs.append(statistics.mean(seconds))
        t = statistics.median(torch_runs) * 1e3
        cells = ""
        for runs in sluice_runs:
            s = statistics.median(runs) * 1e3
            cells += f" {s:.2f} | {s / t:.2f} |"
        print(f"| {label} | {threads} | {t:.2f} |{cells} {len(timed)} | {diff:.1e} "
              f"| {os.getloadavg()[0]:.1f} |", flush=True)
        for name, runs in [("torch", torch_runs)] + list(zip(args.sluice, sluice_runs)):
            print(f"    {name}: {' '.join(f'{v * 1e3:.2f}' for v in runs)}", flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sluice", nargs="+", default=[os.path.join(ROOT, "build", "bin", "sluice")],
                    help="one or more sluice binaries (say, before and after a change)")
    ap.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--warmup", type=int, default=5, help="untimed steps before (at most 8)")
    ap.add_argument("--scale", type=int, default=1, help="multiplies the timed steps")
    ap.add_argument("--models", nargs="+", default=list(CASES), choices=list(CASES))
    ap.add_argument("--device", default="cpu", choices=["cpu", "cuda"],
                    help="where both train: the nn.model's device and PyTorch's (cuda: the "
                         "model's CUDA path against PyTorch on the same GPU, float32; the step "
                         "ends with loss.item(), which waits for the GPU)")
    ap.add_argument("--matmul", default="float32", choices=["float32", "bf16"],
                    help="the precision of both sides' matrix products (bf16: --device cuda only)")
    args = ap.parse_args()
    if args.matmul == "bf16" and args.device != "cuda":
        raise SystemExit("--matmul bf16 needs --device cuda (the CPU computes in float32)")
    torch.set_float32_matmul_precision("medium" if args.matmul == "bf16" else "highest")
    for binary in args.sluice:
        if not os.path.exists(binary):
            raise SystemExit(f"{binary}: no sluice build there; pass --sluice")
    torch.set_num_interop_threads(1)
    print(f"device {args.device}, matmul {args.matmul}; torch {torch.__version__}; load average {os.getloadavg()[0]:.1f} on "
          f"{os.cpu_count()} cores")
    print(f"ms per training step (mean of a run's timed steps, median of {args.repeat} runs)")
    head = "| model | threads | torch ms/step |"
    for binary in args.sluice:
        head += f" {binary} ms/step | ratio to torch |"
    print(head + " timed steps | warm-up loss max abs diff | load average after |")
    print("|---" * (6 + 2 * len(args.sluice)) + "|")
    with tempfile.TemporaryDirectory() as work:
        for key in args.models:
            bench_case(key, args, work)


if __name__ == "__main__":
    main()
