#!/usr/bin/env python3
"""Text generation speed of sluice (text.generate) against Hugging Face transformers on the same
GPT-2 model, weights, prompts and threads, in one run: its generate(), and a hand-written greedy
loop over the model's forward with its KV cache (what generate() does, without its logits
processors and stopping criteria); prints tokens per second, the speedup of sluice over each
(its time over sluice's: above 1, sluice is faster) and how many greedy samples agree.

    /tmp/venv-torch/bin/python tools/bench/bench_generate.py [--sluice build/bin/sluice ...]
        [--threads 1 2] [--repeat 5] [--layers 2] [--dim 128] [--new-tokens 200]

The model: GPT-2 (transformers' GPT2LMHeadModel, exact GELU, an untied head without bias)
with --layers blocks of --dim (dim / 32 heads), block size 256, over 256 byte ids, its weights
drawn by transformers (torch seed 0) and written to a .safetensors file with sluice's names
(token_position_embedding, transformer_blocks, layer_norm, linear without bias; Conv1D weights
transposed to nn.Linear's layout) that sluice's nn.model loads. The prompts: 8 lines of
share/data/tinyshakespeare.txt, their first 32 bytes. All decode greedily (transformers:
do_sample=False with its KV cache, use_cache=True; sluice: temperature 0, its KV cache)
--new-tokens tokens after each prompt.

What is timed: the time to generate for the 8 timed prompts. transformers: its generate()
calls, one prompt at a time (b1) or all 8 in one batch (b8: they are all 32 bytes, so no
padding), or the hand-written loop (b1), prompts already tensors; torch.set_num_threads(N).
sluice: `sluice run --threads N` on a pipeline whose second stage reads the prompts
(io.read_jsonl), runs text.generate and writes the samples (io.write_jsonl); the figure is that
stage's wall_seconds from report.json (reading 8 lines and writing 8 samples are small beside
the generation; the model was loaded before the first stage, and that stage generated for one
prompt untimed, as each peer does first). sluice's text.generate samples the 8 prompts as one
batch (batch_size 8): the 8 prompts, all of one length, run as one pass, then the 8 step
together, one row each of the products (its default; b8 in transformers' terms). The table shows the
median over --repeat runs (sluice and the peers alternate, so machine load hits all alike).

Loading, also printed: sluice's seconds outside its stages (the whole `sluice run` less its
stages' wall_seconds: process start, plugin loading, validation, creating the model from its
weights file, writing the report) against transformers' GPT2LMHeadModel.from_pretrained() of
the same model saved with save_pretrained() (config.json and model.safetensors; the import of
torch and transformers before it is not counted).
"""
import argparse
import json
import os
import statistics
import subprocess
import tempfile
import time
import warnings

import torch
from safetensors.torch import save_file
from transformers import GPT2Config, GPT2LMHeadModel
from transformers.utils import logging as hf_logging

# past_key_values is deprecated for `cache` in transformers 5.x; the loop keeps the name the
# model's output carries, and says nothing about it.
warnings.filterwarnings("ignore", category=FutureWarning)
hf_logging.set_verbosity_error()
hf_logging.disable_progress_bar()

ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), "..", ".."))
SHAKESPEARE = os.path.join(ROOT, "share", "data", "tinyshakespeare.txt")  # ../shared's, copied
VOCAB, BLOCK, PROMPT_BYTES, PROMPTS = 256, 256, 32, 8


def hf_model(layers, dim):
    torch.manual_seed(0)
    config = GPT2Config(vocab_size=VOCAB, n_positions=BLOCK, n_embd=dim, n_layer=layers,
                        n_head=dim // 32, activation_function="gelu", resid_pdrop=0.0,
                        embd_pdrop=0.0, attn_pdrop=0.0, tie_word_embeddings=False,
                        bos_token_id=None, eos_token_id=None, pad_token_id=0)
    model = GPT2LMHeadModel(config).eval()
    model.generation_config.eos_token_id = None
    model.generation_config.pad_token_id = 0
    return model


def sluice_weights(model, layers):
    """transformers' GPT-2 state_dict under sluice's nn.Sequential names."""
    sd = model.state_dict()
    out = {"0.wte.weight": sd["transformer.wte.weight"],
           "0.wpe.weight": sd["transformer.wpe.weight"]}
    for i in range(layers):
        src, dst = f"transformer.h.{i}.", f"{i + 1}."
        for name in ("ln_1.weight", "ln_1.bias", "ln_2.weight", "ln_2.bias", "attn.c_attn.bias",
                     "attn.c_proj.bias", "mlp.c_fc.bias", "mlp.c_proj.bias"):
            out[dst + name] = sd[src + name]
        for name in ("attn.c_attn.weight", "attn.c_proj.weight", "mlp.c_fc.weight",
                     "mlp.c_proj.weight"):
            out[dst + name] = sd[src + name].t()  # Conv1D (in, out) -> Linear (out, in)
    out[f"{layers + 1}.weight"] = sd["transformer.ln_f.weight"]
    out[f"{layers + 1}.bias"] = sd["transformer.ln_f.bias"]
    out[f"{layers + 2}.weight"] = sd["lm_head.weight"]
    return {k: v.contiguous() for k, v in out.items()}


def prompts():
    lines = [l for l in open(SHAKESPEARE, "rb").read().split(b"\n") if len(l) >= PROMPT_BYTES]
    return [list(lines[i * 97][:PROMPT_BYTES]) for i in range(PROMPTS + 1)]


def write_pipeline(work, model, layers, dim, new_tokens):
    weights = os.path.join(work, "gpt.safetensors")
    save_file(sluice_weights(model, layers), weights)
    spec = [{"type": "token_position_embedding", "num_embeddings": VOCAB, "block_size": BLOCK,
             "dim": dim}]
    spec += [{"type": "transformer_block", "dim": dim, "heads": dim // 32}] * layers
    spec += [{"type": "layer_norm", "dim": dim}, {"type": "linear", "in": dim, "out": VOCAB,
                                                  "bias": 0}]
    paths = {}
    for name, chosen in (("warmup", prompts()[:1]), ("timed", prompts()[1:])):
        paths[name] = os.path.join(work, f"{name}.jsonl")
        with open(paths[name], "w") as f:
            for p in chosen:
                f.write(json.dumps({"prompt": {"dtype": "int32", "shape": [len(p)], "data": p}})
                        + "\n")
    gen = "{model: model, max_new_tokens: %d, temperature: 0, batch_size: %d}" % (new_tokens,
                                                                               PROMPTS)
    pipeline = os.path.join(work, "generate.yaml")
    with open(pipeline, "w") as f:
        f.write(f"""sluice: 1
name: bench-generate
resources:
  model: {{type: nn.model, weights: "{weights}", layers: {json.dumps(spec)}}}
stages:
  - name: warmup
    nodes:
      - {{id: read_warmup, op: io.read_jsonl, params: {{path: "{paths['warmup']}"}}}}
      - {{id: warmup, op: text.generate, params: {gen}}}
  - name: generate
    nodes:
      - {{id: read, op: io.read_jsonl, params: {{path: "{paths['timed']}"}}}}
      - {{id: gen, op: text.generate, params: {gen}}}
      - {{id: write, op: io.write_jsonl, params: {{path: samples.jsonl, fields: [ids]}}}}
""")
    return pipeline


def run_sluice(binary, pipeline, threads, work):
    """The generate stage's seconds, the samples, and the seconds of the run outside its stages
    (process start, plugin loading, validation, the model's creation from its weights file, the
    report)."""
    out = os.path.join(work, "run")
    subprocess.run(["rm", "-rf", out], check=True)
    start = time.perf_counter()
    subprocess.run([binary, "run", pipeline, "--threads", str(threads), "--progress", "none",
                    "--out", out], check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    whole = time.perf_counter() - start
    report = json.load(open(os.path.join(out, "report.json")))
    assert report["status"] == "ok", report
    stage = next(s for s in report["stages"] if s["name"] == "generate")
    samples = [json.loads(line)["ids"]["data"] for line in
               open(os.path.join(out, "samples.jsonl"))]
    outside = whole - sum(s["wall_seconds"] for s in report["stages"])
    return stage["wall_seconds"], samples, outside


def hf_load_seconds(saved):
    """Seconds transformers takes to build the model from its saved directory (config.json and
    model.safetensors), as a user's script starts."""
    start = time.perf_counter()
    GPT2LMHeadModel.from_pretrained(saved)
    return time.perf_counter() - start


def hf_generate(model, prompts, new_tokens):
    return model.generate(prompts, max_new_tokens=new_tokens, min_new_tokens=new_tokens,
                          do_sample=False, use_cache=True).tolist()


def hf_loop(model, prompts, new_tokens):
    """Greedy decoding by hand: the model's forward with its cache, no generate() machinery."""
    out = model(prompts, use_cache=True)
    ids = prompts
    for _ in range(new_tokens):
        tokens = out.logits[:, -1].argmax(dim=-1, keepdim=True)
        ids = torch.cat([ids, tokens], dim=1)
        out = model(tokens, past_key_values=out.past_key_values, use_cache=True)
    return ids.tolist()


PEERS = {  # column: (function, all prompts in one batch)
    "generate() b1": (hf_generate, False),
    "loop b1": (hf_loop, False),
    "generate() b8": (hf_generate, True),
}


def run_hf(model, new_tokens, generate, batched):
    """Seconds and samples of `generate` over the timed prompts, one at a time or all in one
    batch (they are all PROMPT_BYTES long: no padding)."""
    chosen = prompts()
    with torch.inference_mode():
        generate(model, torch.tensor(chosen[:1]), new_tokens)
        start = time.perf_counter()
        if batched:
            samples = generate(model, torch.tensor(chosen[1:]), new_tokens)
        else:
            samples = [generate(model, torch.tensor([p]), new_tokens)[0] for p in chosen[1:]]
        return time.perf_counter() - start, samples


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sluice", default=os.path.join(ROOT, "build", "bin", "sluice"))
    ap.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--layers", type=int, default=2)
    ap.add_argument("--dim", type=int, default=128)
    ap.add_argument("--new-tokens", type=int, default=200)
    args = ap.parse_args()
    model = hf_model(args.layers, args.dim)
    tokens = PROMPTS * args.new_tokens
    print(f"GPT-2 {args.layers} blocks d{args.dim}, {PROMPTS} prompts of {PROMPT_BYTES} bytes, "
          f"{args.new_tokens} new tokens each, greedy; torch {torch.__version__}")
    print("tokens/s (median of runs) and sluice's speedup over each peer (its time / sluice's)")
    print(f"{'threads':>7} {'sluice':>7} " + " ".join(f"{k:>14} {'x':>5}" for k in PEERS) +
          "  same samples")
    with tempfile.TemporaryDirectory() as work:
        pipeline = write_pipeline(work, model, args.layers, args.dim, args.new_tokens)
        saved = os.path.join(work, "hf")
        model.save_pretrained(saved)
        for threads in args.threads:
            torch.set_num_threads(threads)
            seconds = {name: [] for name in ["sluice", *PEERS]}
            loads = {"sluice": [], "from_pretrained": []}
            same = PROMPTS
            for _ in range(args.repeat):
                took, ours, outside = run_sluice(args.sluice, pipeline, threads, work)
                seconds["sluice"].append(took)
                loads["sluice"].append(outside)
                loads["from_pretrained"].append(hf_load_seconds(saved))
                for name, (generate, batched) in PEERS.items():
                    took, theirs = run_hf(model, args.new_tokens, generate, batched)
                    seconds[name].append(took)
                    same = min(same, sum(a == b for a, b in zip(ours, theirs)))
            median = {name: statistics.median(runs) for name, runs in seconds.items()}
            ours = median["sluice"]
            print(f"{threads:>7} {tokens / ours:>7.0f} " +
                  " ".join(f"{tokens / median[k]:>14.0f} {median[k] / ours:>5.2f}"
                           for k in PEERS) + f"  {same:>8}/{PROMPTS}")
            for name, runs in seconds.items():
                print(f"        {name} s: {' '.join(f'{x:.3f}' for x in runs)}")
            load = {name: statistics.median(runs) for name, runs in loads.items()}
            print(f"        load s (median): sluice outside its stages {load['sluice']:.3f}, "
                  f"transformers from_pretrained {load['from_pretrained']:.3f}, ratio "
                  f"{load['from_pretrained'] / load['sluice']:.2f}")


if __name__ == "__main__":
    main()
