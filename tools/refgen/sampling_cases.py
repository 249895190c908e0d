#!/usr/bin/env python3
"""Reference sampling distributions for sluice's text.generate (tests/plugins/text/
sampling_test.cc), made with Hugging Face transformers' logits warpers, as its generate() applies
them when sampling: TemperatureLogitsWarper, then TopKLogitsWarper, then TopPLogitsWarper (each
only when it changes something), then a softmax. For each case: float32 logits (50 tokens drawn
N(0, 3^2) from a fixed seed, no two equal), the temperature, top_k and top_p, and the
probabilities the softmax gives every token (0 for those filtered out).

    /tmp/venv-torch/bin/python tools/refgen/sampling_cases.py tests/data/text/sampling_cases.json
"""
import json
import sys

import torch
from transformers.generation.logits_process import (
    TemperatureLogitsWarper,
    TopKLogitsWarper,
    TopPLogitsWarper,
)

CASES = [  # temperature, top_k, top_p
    (1.0, 0, 1.0),
    (0.7, 10, 1.0),
    (1.3, 0, 0.9),
    (0.5, 20, 0.8),
    (1.0, 5, 0.5),
    (2.0, 0, 0.3),
    (1.0, 0, 0.01),
    (3.0, 49, 0.95),
]


def probabilities(logits, temperature, top_k, top_p):
    scores = logits.clone().unsqueeze(0)
    ids = torch.zeros((1, 1), dtype=torch.long)
    if temperature != 1.0:
        scores = TemperatureLogitsWarper(temperature)(ids, scores)
    if top_k > 0:
        scores = TopKLogitsWarper(top_k)(ids, scores)
    if top_p < 1.0:
        scores = TopPLogitsWarper(top_p)(ids, scores)
    return torch.softmax(scores.double(), dim=-1)[0]


def main(out_path):
    generator = torch.Generator().manual_seed(20261205)
    cases = []
    for i, (temperature, top_k, top_p) in enumerate(CASES):
        logits = torch.randn(50, generator=generator, dtype=torch.float32) * 3
        assert len(set(logits.tolist())) == 50
        probs = probabilities(logits, temperature, top_k, top_p)
        cases.append({
            "temperature": temperature,
            "top_k": top_k,
            "top_p": top_p,
            "logits": logits.tolist(),
            "probabilities": probs.tolist(),
        })
    with open(out_path, "w") as f:
        json.dump({"source": "transformers logits warpers", "cases": cases}, f)
        f.write("\n")


if __name__ == "__main__":
    main(sys.argv[1])
