#!/usr/bin/env python3
"""Reference training runs for sluice's nn tests (tests/plugins/nn/parity_test.cc), made with
PyTorch on the CPU (Debian's python3-torch 1.13 on /usr/bin/python3, or PyPI's torch).

For each case, builds a small nn.Sequential, writes its initial state_dict to
tests/data/nn/<case>.safetensors (float32 weights and running statistics, int64
num_batches_tracked), then trains it for 20 steps on fixed batches with the case's optimizer and
records, in tests/data/nn/parity.json, the batches, the loss of every step, the learning rate of
every step and the first values of every final state_dict tensor; the cases with batch norm
also record the trained model's eval-mode output on one more batch. sluice builds the same model
from the same file, trains on the same batches and must give the same losses.

    /usr/bin/python3 tools/refgen/nn_parity.py tests/data/nn
"""
import json
import math
import pathlib
import struct
import sys

import torch
from torch import nn

STEPS = 20


class MaskedMean(nn.Module):
    """Mean over the positions whose id is not pad_id (sluice's masked_mean)."""

    def __init__(self, ids_holder, pad_id=0):
        super().__init__()
        self.ids_holder = ids_holder
        self.pad_id = pad_id

    def forward(self, x):
        mask = (self.ids_holder["ids"] != self.pad_id).float().unsqueeze(-1)
        return (x * mask).sum(1) / mask.sum(1).clamp(min=1)


class TokenPositionEmbedding(nn.Module):
    """sluice's token_position_embedding: token plus position embeddings (nanoGPT's wte, wpe)."""

    def __init__(self, vocab, block_size, dim):
        super().__init__()
        self.wte = nn.Embedding(vocab, dim)
        self.wpe = nn.Embedding(block_size, dim)

    def forward(self, ids):
        positions = torch.arange(ids.shape[1])
        return self.wte(ids.long()) + self.wpe(positions)


class CausalSelfAttention(nn.Module):
    """GPT-2's (nanoGPT's) multi-head causal self-attention, written out for torch 1.13."""

    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.c_attn = nn.Linear(dim, 3 * dim)
        self.c_proj = nn.Linear(dim, dim)

    def forward(self, x):
        B, T, C = x.shape
        q, k, v = self.c_attn(x).split(C, dim=2)
        q, k, v = (t.view(B, T, self.heads, C // self.heads).transpose(1, 2) for t in (q, k, v))
        att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(C // self.heads))
        mask = torch.tril(torch.ones(T, T, dtype=torch.bool))
        att = att.masked_fill(~mask, float("-inf")).softmax(dim=-1)
        return self.c_proj((att @ v).transpose(1, 2).contiguous().view(B, T, C))


class MLP(nn.Module):
    def __init__(self, dim, ratio):
        super().__init__()
        self.c_fc = nn.Linear(dim, ratio * dim)
        self.gelu = nn.GELU()
        self.c_proj = nn.Linear(ratio * dim, dim)

    def forward(self, x):
        return self.c_proj(self.gelu(self.c_fc(x)))


class Block(nn.Module):
    """sluice's transformer_block: GPT-2's pre-norm block."""

    def __init__(self, dim, heads, ratio=4):
        super().__init__()
        self.ln_1 = nn.LayerNorm(dim)
        self.attn = CausalSelfAttention(dim, heads)
        self.ln_2 = nn.LayerNorm(dim)
        self.mlp = MLP(dim, ratio)

    def forward(self, x):
        x = x + self.attn(self.ln_1(x))
        return x + self.mlp(self.ln_2(x))


class Residual(nn.Module):
    """sluice's residual: x + body(x), the body an nn.Sequential ("body.0.weight")."""

    def __init__(self, *layers):
        super().__init__()
        self.body = nn.Sequential(*layers)

    def forward(self, x):
        return x + self.body(x)


def write_safetensors(path, state):
    header, blobs, offset = {}, [], 0
    for name, t in state.items():
        wide = t.dtype == torch.int64  # BatchNorm's num_batches_tracked
        data = t.detach().contiguous().numpy().tobytes() if wide else \
            t.detach().contiguous().float().numpy().tobytes()
        header[name] = {"dtype": "I64" if wide else "F32", "shape": list(t.shape),
                        "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":"))
    text += " " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text.encode())
        for b in blobs:
            f.write(b)


def schedule(step, base, kind, warmup, total):
    if step < warmup:
        return base * (step + 1) / warmup
    if kind == "cosine":
        t = min(1.0, (step - warmup) / max(1, total - warmup))
        return 0.5 * base * (1 + math.cos(math.pi * t))
    return base


def run_case(out_dir, name, layers, make_model, make_batch, optimizer, lr, extra, sched,
             clip, loss_kind, evaluate=False):
    torch.manual_seed(sum(name.encode()))
    ids_holder = {}
    model = make_model(ids_holder)
    write_safetensors(out_dir / f"{name}.safetensors", model.state_dict())
    opt = {"sgd": torch.optim.SGD, "adam": torch.optim.Adam,
           "adamw": torch.optim.AdamW}[optimizer](model.parameters(), lr=lr, **extra)
    batches, losses, lrs = [], [], []
    generator = torch.Generator().manual_seed(len(name))
    for step in range(STEPS):
        x, y = make_batch(generator)
        step_lr = schedule(step, lr, sched[0], sched[1], sched[2])
        for group in opt.param_groups:
            group["lr"] = step_lr
        ids_holder["ids"] = x
        opt.zero_grad()
        out = model(x)
        if loss_kind == "mse":
            loss = nn.functional.mse_loss(out, y)
        else:
            # a language model's (B, T, V) logits: every position is a row
            loss = nn.functional.cross_entropy(out.reshape(-1, out.shape[-1]), y.reshape(-1),
                                               ignore_index=-100)
        loss.backward()
        if clip > 0:
            torch.nn.utils.clip_grad_norm_(model.parameters(), clip)
        opt.step()
        batches.append({"input": x.flatten().tolist(), "shape": list(x.shape),
                        "label": y.flatten().tolist(), "label_shape": list(y.shape)})
        losses.append(loss.item())
        lrs.append(step_lr)
    final = {k: v.flatten()[:8].tolist() for k, v in model.state_dict().items()}
    case = {"name": name, "layers": layers, "optimizer": optimizer, "lr": lr,
            "options": extra, "schedule": list(sched), "clip_grad_norm": clip, "loss": loss_kind,
            "batches": batches, "losses": losses, "lrs": lrs, "final": final}
    if evaluate:  # the trained model at inference: batch norm uses its running statistics
        x, _ = make_batch(generator)
        model.eval()
        with torch.no_grad():
            out = model(x)
        case["eval"] = {"input": x.flatten().tolist(), "shape": list(x.shape),
                        "output": out.flatten().tolist()}
    return case


def main():
    out_dir = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "tests/data/nn")
    out_dir.mkdir(parents=True, exist_ok=True)
    torch.set_num_threads(1)

    def features(rows, cols, classes):
        return lambda g: (torch.randn(rows, cols, generator=g),
                          torch.randint(0, classes, (rows,), generator=g))

    def token_batch(g):
        ids = torch.randint(1, 50, (6, 7), generator=g, dtype=torch.int32)
        lengths = torch.randint(1, 8, (6,), generator=g)
        for r in range(6):
            ids[r, lengths[r]:] = 0
        labels = torch.randint(0, 3, (6,), generator=g)
        labels[0] = -100  # one ignored row
        return ids, labels

    def lm_batch(g):
        tokens = torch.randint(0, 11, (3, 7), generator=g, dtype=torch.int32)
        targets = tokens[:, 1:].long()
        targets[0, 0] = -100  # one ignored position
        return tokens[:, :-1], targets  # T = 6 of block_size 8

    def images(g):  # multiples of 1/32, short in JSON
        return (torch.randint(-48, 80, (5, 1, 6, 6), generator=g) / 32.0,
                torch.randint(0, 3, (5,), generator=g))

    def gpt(h):
        return nn.Sequential(TokenPositionEmbedding(11, 8, 16), Block(16, 2), Block(16, 2),
                             nn.LayerNorm(16), nn.Linear(16, 11))

    cases = [
        run_case(out_dir, "mlp_adamw",
                 [{"type": "linear", "in": 8, "out": 16}, {"type": "gelu"},
                  {"type": "linear", "in": 16, "out": 3}],
                 lambda h: nn.Sequential(nn.Linear(8, 16), nn.GELU(), nn.Linear(16, 3)),
                 features(5, 8, 3), "adamw", 1e-2, {"weight_decay": 0.01},
                 ("cosine", 3, STEPS), 0.0, "cross_entropy"),
        run_case(out_dir, "mlp_sgd_nesterov",
                 [{"type": "linear", "in": 8, "out": 12}, {"type": "tanh"},
                  {"type": "linear", "in": 12, "out": 12}, {"type": "relu"},
                  {"type": "linear", "in": 12, "out": 4}],
                 lambda h: nn.Sequential(nn.Linear(8, 12), nn.Tanh(), nn.Linear(12, 12),
                                         nn.ReLU(), nn.Linear(12, 4)),
                 features(6, 8, 4), "sgd", 5e-2,
                 {"momentum": 0.9, "nesterov": True, "weight_decay": 1e-3},
                 ("constant", 0, STEPS), 1.0, "cross_entropy"),
        run_case(out_dir, "bag_adam",
                 [{"type": "embedding", "num_embeddings": 50, "dim": 8}, {"type": "masked_mean"},
                  {"type": "linear", "in": 8, "out": 3}],
                 lambda h: nn.Sequential(nn.Embedding(50, 8), MaskedMean(h), nn.Linear(8, 3)),
                 token_batch, "adam", 2e-2, {}, ("constant", 0, STEPS), 0.0, "cross_entropy"),
        run_case(out_dir, "regression_adamw",
                 [{"type": "linear", "in": 4, "out": 8}, {"type": "relu"},
                  {"type": "linear", "in": 8, "out": 2}],
                 lambda h: nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2)),
                 lambda g: (torch.randn(5, 4, generator=g), torch.randn(5, 2, generator=g)),
                 "adamw", 1e-2, {}, ("constant", 2, STEPS), 0.0, "mse"),
        run_case(out_dir, "gpt_adamw",
                 [{"type": "token_position_embedding", "num_embeddings": 11, "block_size": 8,
                   "dim": 16},
                  {"type": "transformer_block", "dim": 16, "heads": 2},
                  {"type": "transformer_block", "dim": 16, "heads": 2},
                  {"type": "layer_norm", "dim": 16}, {"type": "linear", "in": 16, "out": 11}],
                 gpt, lm_batch, "adamw", 1e-2, {"weight_decay": 0.1}, ("cosine", 3, STEPS), 1.0,
                 "cross_entropy"),
        run_case(out_dir, "cnn_batch_norm_adamw",
                 [{"type": "conv2d", "in_channels": 1, "out_channels": 4, "kernel_size": 3,
                   "padding": 1, "bias": 0},
                  {"type": "batch_norm", "num_features": 4}, {"type": "relu"},
                  {"type": "max_pool2d", "kernel_size": 2}, {"type": "flatten"},
                  {"type": "linear", "in": 36, "out": 8, "bias": 0},
                  {"type": "batch_norm", "num_features": 8, "momentum": 0.2}, {"type": "relu"},
                  {"type": "linear", "in": 8, "out": 3}],
                 lambda h: nn.Sequential(nn.Conv2d(1, 4, 3, padding=1, bias=False),
                                         nn.BatchNorm2d(4), nn.ReLU(), nn.MaxPool2d(2),
                                         nn.Flatten(),
                                         nn.Linear(36, 8, bias=False),
                                         nn.BatchNorm1d(8, momentum=0.2), nn.ReLU(),
                                         nn.Linear(8, 3)),
                 images, "adamw", 1e-2, {}, ("cosine", 2, STEPS), 0.0, "cross_entropy",
                 evaluate=True),
        run_case(out_dir, "residual_mlp_adamw",
                 [{"type": "linear", "in": 6, "out": 8},
                  {"type": "residual", "body": [
                      {"type": "linear", "in": 8, "out": 8, "bias": 0},
                      {"type": "batch_norm", "num_features": 8}, {"type": "relu"},
                      {"type": "linear", "in": 8, "out": 8}]},
                  {"type": "residual", "body": [
                      {"type": "batch_norm", "num_features": 8, "affine": 0}, {"type": "gelu"},
                      {"type": "linear", "in": 8, "out": 8}]},
                  {"type": "linear", "in": 8, "out": 3}],
                 lambda h: nn.Sequential(
                     nn.Linear(6, 8),
                     Residual(nn.Linear(8, 8, bias=False), nn.BatchNorm1d(8), nn.ReLU(),
                              nn.Linear(8, 8)),
                     Residual(nn.BatchNorm1d(8, affine=False), nn.GELU(), nn.Linear(8, 8)),
                     nn.Linear(8, 3)),
                 features(7, 6, 3), "adamw", 1e-2, {"weight_decay": 0.05}, ("constant", 0, STEPS),
                 1.0, "cross_entropy", evaluate=True),
    ]
    (out_dir / "parity.json").write_text(json.dumps({"torch": torch.__version__, "cases": cases}))


if __name__ == "__main__":
    main()
