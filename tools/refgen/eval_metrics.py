#!/usr/bin/env python3
"""Reference classification metrics for sluice's eval.classification tests
(tests/plugins/nn/ops_test.cc), made with scikit-learn (PyPI; e.g. in a virtualenv).

Draws fixed labels and predictions for 3 classes (one class never predicted, so a precision is
undefined and scikit-learn's zero_division=0 applies) and writes tests/data/nn/classification.json:
the rows and every metric eval.classification reports, with scikit-learn's values.

    python3 -m venv /tmp/venv && /tmp/venv/bin/pip install scikit-learn
    /tmp/venv/bin/python tools/refgen/classification_metrics.py tests/data/nn/classification.json
"""
import json
import random
import sys

from sklearn.metrics import accuracy_score, confusion_matrix, precision_recall_fscore_support

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

with open(sys.argv[1], "w") as f:
    json.dump({"names": names, "labels": labels, "predictions": predictions,
               "metrics": {k: float(v) for k, v in metrics.items()}}, f)
