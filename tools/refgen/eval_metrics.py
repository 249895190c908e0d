#!/usr/bin/env python3
"""Reference metrics for sluice's eval.classification and eval.regression tests
(tests/plugins/nn/ops_test.cc), made with scikit-learn (PyPI; e.g. in a virtualenv).

classification.json: fixed labels and predictions for 3 classes (one class never predicted, so a
precision is undefined and scikit-learn's zero_division=0 applies) and every metric
eval.classification reports. regression.json: 12 rows of 2 outputs around a large mean (so a
naive sum of squares would lose digits) with mean_squared_error, mean_absolute_error and
r2_score.

    python3 -m venv /tmp/venv && /tmp/venv/bin/pip install scikit-learn
    /tmp/venv/bin/python tools/refgen/eval_metrics.py tests/data/nn
"""
import json
import random
import sys

from sklearn.metrics import (accuracy_score, confusion_matrix, mean_absolute_error,
                             mean_squared_error, precision_recall_fscore_support, r2_score)

rng = random.Random(5)
labels = [rng.randrange(3) for _ in range(200)]
predictions = [l if rng.random() < 0.7 else rng.choice([0, 1]) for l in labels]
names = ["cat", "dog", "fox"]

metrics = {"accuracy": accuracy_score(labels, predictions)}
for average in ("macro", "weighted", "micro"):
    p, r, f, _ = precision_recall_fscore_support(labels, predictions, average=average,
                                                 zero_division=0)
    metrics.update({f"{average}_precision": p, f"{average}_recall": r, f"{average}_f1": f})
p, r, f, s = precision_recall_fscore_support(labels, predictions, zero_division=0)
for i, name in enumerate(names):
    metrics.update({f"{name}.precision": p[i], f"{name}.recall": r[i], f"{name}.f1": f[i],
                    f"{name}.support": int(s[i])})
for t, row in enumerate(confusion_matrix(labels, predictions, labels=[0, 1, 2])):
    for q, count in enumerate(row):
        metrics[f"confusion.{names[t]}.{names[q]}"] = int(count)

out_dir = sys.argv[1]
with open(f"{out_dir}/classification.json", "w") as f:
    json.dump({"names": names, "labels": labels, "predictions": predictions,
               "metrics": {k: float(v) for k, v in metrics.items()}}, f)

# float32 values, as sluice's tensors hold them
import numpy as np

truth = (1e4 + np.array([[rng.gauss(0, 3), rng.gauss(5, 1)] for _ in range(12)])).astype(np.float32)
predicted = (truth + np.array([[rng.gauss(0, 1), rng.gauss(0, 0.5)] for _ in range(12)])
             ).astype(np.float32)
t64, p64 = truth.astype(np.float64), predicted.astype(np.float64)
with open(f"{out_dir}/regression.json", "w") as f:
    json.dump({"label": truth.flatten().tolist(), "prediction": predicted.flatten().tolist(),
               "shape": [12, 2],
               "metrics": {"mse": mean_squared_error(t64, p64),
                           "mae": mean_absolute_error(t64, p64), "r2": r2_score(t64, p64)}}, f)
