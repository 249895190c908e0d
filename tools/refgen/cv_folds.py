#!/usr/bin/env python3
"""Reference folds for sluice's cross-validation fold assignment (tests/plugins/train/
folds_test.cc), made with scikit-learn's KFold and StratifiedKFold.

For each case: the test fold of every row without shuffling and with shuffle=True for
random_state 0 and 12345 (sluice must match them row for row: it reproduces NumPy's legacy
RandomState shuffle), and with random_state=0 the size of each fold and, for stratified cases,
each fold's count of every class (which any seed must give). The
cases: KFold on row counts that do and do not divide by the folds; StratifiedKFold on balanced,
imbalanced and three-class labels whose first label is not the smallest (classes are numbered by
first appearance), one where a class has fewer rows than folds (scikit-learn warns) and one where
every class has (scikit-learn refuses); and the 5,574 labels of the UCI SMS Spam Collection
(ham 0, spam 1), 5 and 10 folds. Then the summary of fold scores: numpy's mean and std (the
population standard deviation, ddof=0, as scikit-learn's examples report cross_validate scores)
of a few score lists, with the sample standard deviation (ddof=1) beside it.

    /tmp/venv-sys/bin/python tools/refgen/cv_folds.py ../shared/data/text/sms_spam.tsv tests/data/cv
"""
import json
import random
import sys
import warnings

import numpy as np
from sklearn.model_selection import KFold, StratifiedKFold


SHUFFLE_SEEDS = (0, 12345)


def test_folds(splitter, rows, labels):
    fold_of = np.full(rows, -1)
    for f, (_, test) in enumerate(splitter.split(np.zeros((rows, 1)), labels)):
        fold_of[test] = f
    return fold_of


def case(name, folds, rows=None, labels=None):
    stratified = labels is not None
    rows = len(labels) if stratified else rows
    make = StratifiedKFold if stratified else KFold
    out = {"name": name, "stratified": stratified, "folds": folds, "rows": rows}
    if stratified:
        out["labels"] = labels
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            plain = test_folds(make(n_splits=folds), rows, labels)
        except ValueError as e:
            out["error"] = str(e)
            return out
        shuffled = test_folds(make(n_splits=folds, shuffle=True, random_state=0), rows, labels)
        out["shuffled_test_folds"] = {
            str(seed): test_folds(make(n_splits=folds, shuffle=True, random_state=seed), rows,
                                  labels).tolist() for seed in SHUFFLE_SEEDS}
    out["warning"] = any("least populated class" in str(w.message) for w in caught)
    out["test_folds"] = plain.tolist()
    out["shuffled_fold_sizes"] = np.bincount(shuffled, minlength=folds).tolist()
    if stratified:
        classes = sorted(set(labels))
        out["classes"] = classes
        y = np.asarray(labels)
        out["shuffled_class_counts"] = [[int(np.sum((shuffled == f) & (y == c))) for c in classes]
                                        for f in range(folds)]
    return out


rng = random.Random(11)
sms = [0 if line.split("\t", 1)[0] == "ham" else 1
       for line in open(sys.argv[1], encoding="utf-8").read().split("\n") if line]
assert len(sms) == 5574 and sum(sms) == 747
cases = [
    case("kfold, 20 rows, 5 folds", 5, rows=20),
    case("kfold, 23 rows, 5 folds", 5, rows=23),
    case("kfold, 7 rows, 7 folds", 7, rows=7),
    case("kfold, 103 rows, 10 folds", 10, rows=103),
    case("kfold, 4 rows, 5 folds", 5, rows=4),
    case("stratified, balanced, 40 rows, 4 folds", 4, labels=[i % 2 for i in range(40)]),
    case("stratified, 9 of 61 rows positive, 5 folds", 5,
         labels=[int(x) for x in rng.sample([1] * 9 + [0] * 52, 61)]),
    case("stratified, three classes, first label 2, 4 folds", 4,
         labels=[2] + [rng.choice([0, 1, 1, 2, 2, 2]) for _ in range(46)]),
    case("stratified, a class of 3 rows, 5 folds", 5,
         labels=[7, 3, 3, 7, 3, 5, 3, 3, 3, 7, 3, 3, 5, 3, 3, 3, 5, 3, 3, 5, 3, 3]),
    case("stratified, every class smaller than the folds", 6, labels=[0, 1, 0, 1, 2, 0, 1, 2]),
    case("stratified, SMS spam labels, 5 folds", 5, labels=sms),
    case("stratified, SMS spam labels, 10 folds", 10, labels=sms),
    case("kfold, SMS spam rows, 5 folds", 5, rows=len(sms)),
]
score_lists = [[0.9686, 0.9641, 0.9623, 0.9578, 0.9659],
               [0.5, 0.75, 1.0],
               [rng.uniform(0.8, 1.0) for _ in range(10)],
               [1e4 + rng.gauss(0, 1e-3) for _ in range(7)],
               [0.25, 0.25, 0.25, 0.25]]
summaries = [{"values": v, "mean": float(np.mean(v)), "std": float(np.std(v)),
              "sample_std": float(np.std(v, ddof=1))} for v in score_lists]
with open(f"{sys.argv[2]}/folds.json", "w") as f:
    json.dump({"sklearn": __import__("sklearn").__version__, "cases": cases,
               "summaries": summaries}, f, separators=(",", ":"))
