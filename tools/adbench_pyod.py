#!/usr/bin/env python3
"""PyOD's detectors on the ADBench splits that `./runner split` writes: the peer of `./runner bench --suite`.

For each data set and seed: reads <data>/<name>.npz (X, y; never unpickled) and <splits>/<name>-seed<s>.csv
(header `index,part`, one line per row of the .npz, part = train|test), min-max scales on the training part
(a feature constant there keeps scale 1, as deepad4j's Scaler), fits each detector on every training row
(ADBench's unsupervised setting: labels unseen) with PyOD's defaults, scores the test part and records ROC AUC,
average precision (scikit-learn), fit and score time. Detectors, named as deepad4j names them:
  iforest IForest(random_state=seed)    ecod ECOD()                     knn KNN() (k = 5, largest)
  lof     LOF() (k = 20)                pca  PCA(random_state=seed)     ocsvm OCSVM() (rbf)
The one-class SVM is quadratic in the training rows in PyOD too: above --max-train-rows it is fitted on that
many training rows drawn without replacement with numpy.random.default_rng(seed), as deepad4j caps its own;
train_rows_used records it. --cap DETECTOR=ROWS (repeatable) caps any detector so, e.g. --cap knn=10000
--cap lof=10000 --cap ocsvm=2000 for the caps of experiments/adbench/ (the rows differ from deepad4j's draw;
the rule and the count are the same). A detector that raises is written as a failed row and the run goes on.

Writes the results CSV of io.deepad4j.bench.BenchResults (atomically: a temporary file, then a rename):
  dataset,detector,seed,roc_auc,average_precision,fit_time_s,score_time_s,train_rows,train_rows_used,status
then `./runner leaderboard OURS.csv --peer THAT.csv --peer-name PyOD` compares. Run through
tools/adbench-pyod.sh, which creates the pinned environment:
  tools/adbench-pyod.sh --data ../shared/data/adbench --splits outputs/splits --datasets 6_cardio,14_glass \
      --seeds 1,2,3 -o outputs/bench/pyod-results.csv
"""
import argparse
import csv
import os
import sys
import time

import numpy as np

HEADER = ["dataset", "detector", "seed", "roc_auc", "average_precision", "fit_time_s", "score_time_s",
          "train_rows", "train_rows_used", "status"]
DETECTORS = ["iforest", "ecod", "knn", "lof", "pca", "ocsvm"]


def make_detector(name, seed):
    # imported here so that --help and argument errors need no PyOD
    if name == "iforest":
        from pyod.models.iforest import IForest
        return IForest(random_state=seed)
    if name == "ecod":
        from pyod.models.ecod import ECOD
        return ECOD()
    if name == "knn":
        from pyod.models.knn import KNN
        return KNN(n_neighbors=5, method="largest")
    if name == "lof":
        from pyod.models.lof import LOF
        return LOF(n_neighbors=20)
    if name == "pca":
        from pyod.models.pca import PCA
        return PCA(random_state=seed)
    if name == "ocsvm":
        from pyod.models.ocsvm import OCSVM
        return OCSVM()
    raise ValueError(name)


def load_npz(path):
    if not os.path.isfile(path):
        sys.exit(f"error: {path} does not exist (the ADBench .npz files: --data)")
    with np.load(path, allow_pickle=False) as f:
        if "X" not in f.files or "y" not in f.files:
            sys.exit(f"error: {path} holds {f.files}; X and y are expected")
        x = np.asarray(f["X"], dtype=np.float64)
        y = np.asarray(f["y"]).astype(np.int64).ravel()
    if x.ndim != 2 or x.shape[0] != y.shape[0]:
        sys.exit(f"error: {path}: X has shape {x.shape}, y {y.shape}; expected rows x features and one label a row")
    if not np.isin(y, (0, 1)).all():
        sys.exit(f"error: {path}: y holds values other than 0 and 1")
    if not np.isfinite(x).all():
        sys.exit(f"error: {path}: X holds NaN or infinite values")
    return x, y


def read_split(path, rows):
    """The boolean train mask of a `./runner split` file, checked line by line."""
    if not os.path.isfile(path):
        sys.exit(f"error: {path} does not exist; write it with ./runner split --subset NAME --seeds ... -o DIR")
    part = np.full(rows, -1, dtype=np.int8)
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader, None)
        if header != ["index", "part"]:
            sys.exit(f"error: {path}, line 1: the header must be 'index,part', found {header}")
        for line, fields in enumerate(reader, 2):
            if not fields:
                continue
            if len(fields) != 2 or fields[1] not in ("train", "test") or not fields[0].isdigit():
                sys.exit(f"error: {path}, line {line}: expected '<row index>,train|test', found {','.join(fields)}")
            index = int(fields[0])
            if index >= rows:
                sys.exit(f"error: {path}, line {line}: row {index}, but the data set has {rows} rows")
            if part[index] != -1:
                sys.exit(f"error: {path}, line {line}: row {index} is listed twice")
            part[index] = 1 if fields[1] == "train" else 0
    missing = np.flatnonzero(part == -1)
    if missing.size:
        sys.exit(f"error: {path} lists {rows - missing.size} of {rows} rows (first missing: {missing[0]})")
    return part == 1


def min_max(train, test):
    low = train.min(axis=0)
    span = train.max(axis=0) - low
    span = np.where(span > 0, span, 1.0)
    return (train - low) / span, (test - low) / span


def run_one(name, seed, x_train, x_test, y_test, max_train_rows):
    from sklearn.metrics import average_precision_score, roc_auc_score
    rows = x_train
    if max_train_rows is not None and x_train.shape[0] > max_train_rows:
        pick = np.random.default_rng(seed).choice(x_train.shape[0], size=max_train_rows, replace=False)
        rows = x_train[np.sort(pick)]
    detector = make_detector(name, seed)
    start = time.perf_counter()
    detector.fit(rows)
    fit_time = time.perf_counter() - start
    start = time.perf_counter()
    scores = detector.decision_function(x_test)
    score_time = time.perf_counter() - start
    if not np.isfinite(scores).all():
        raise ValueError("non-finite scores")
    return (roc_auc_score(y_test, scores), average_precision_score(y_test, scores), fit_time, score_time,
            rows.shape[0])


def write_atomically(path, rows):
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    tmp = os.path.join(directory, "." + os.path.basename(path) + ".tmp")
    try:
        with open(tmp, "w", newline="", encoding="utf-8") as f:
            writer = csv.writer(f, lineterminator="\n")
            writer.writerow(HEADER)
            writer.writerows(rows)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


def number(v):
    return repr(float(v))


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data", required=True, help="folder of the ADBench .npz files")
    p.add_argument("--splits", required=True, help="folder of <name>-seed<s>.csv files from ./runner split")
    p.add_argument("--datasets", required=True, help="comma-separated names, e.g. 6_cardio,14_glass")
    p.add_argument("--seeds", default="1,2,3", help="comma-separated seeds (default 1,2,3)")
    p.add_argument("--detectors", default=",".join(DETECTORS), help="subset of " + ",".join(DETECTORS))
    p.add_argument("--max-train-rows", type=int, default=10000,
                   help="seeded cap on the one-class SVM's training rows (default 10000)")
    p.add_argument("--cap", action="append", default=[], metavar="DETECTOR=ROWS",
                   help="seeded cap on a detector's training rows (repeatable); ocsvm's defaults to --max-train-rows")
    p.add_argument("-o", "--output", required=True, help="results CSV to write")
    args = p.parse_args()
    try:
        seeds = [int(s) for s in args.seeds.split(",")]
    except ValueError:
        p.error(f"--seeds: '{args.seeds}' is not a comma-separated list of whole numbers")
    detectors = args.detectors.split(",")
    unknown = [d for d in detectors if d not in DETECTORS]
    if unknown:
        p.error(f"--detectors: unknown {unknown}; choose from {DETECTORS}")
    if args.max_train_rows < 1:
        p.error("--max-train-rows must be at least 1")
    caps = {"ocsvm": args.max_train_rows}
    for c in args.cap:
        name, _, rows = c.partition("=")
        if name not in DETECTORS or not rows.isdigit() or int(rows) < 1:
            p.error(f"--cap: expected DETECTOR=ROWS with a detector of {DETECTORS} and ROWS >= 1, got '{c}'")
        caps[name] = int(rows)

    results = []
    wall = time.perf_counter()
    for name in args.datasets.split(","):
        x, y = load_npz(os.path.join(args.data, name + ".npz"))
        for seed in seeds:
            train = read_split(os.path.join(args.splits, f"{name}-seed{seed}.csv"), x.shape[0])
            x_train, x_test = min_max(x[train], x[~train])
            y_test = y[~train]
            if y_test.min() == y_test.max():
                sys.exit(f"error: {name} seed {seed}: the test part holds one class only")
            for detector in detectors:
                try:
                    auc, ap, fit_time, score_time, used = run_one(detector, seed, x_train, x_test, y_test,
                                                                  caps.get(detector))
                    results.append([name, detector, seed, number(auc), number(ap), number(fit_time),
                                    number(score_time), x_train.shape[0], used, "ok"])
                    print(f"{name} seed {seed} {detector}: roc_auc {auc:.4f} ap {ap:.4f} "
                          f"fit {fit_time:.3f} s score {score_time:.3f} s", file=sys.stderr)
                except Exception as e:  # a failed detector is a failed row, as in ./runner bench --suite
                    used = min(x_train.shape[0], caps.get(detector, x_train.shape[0]))
                    results.append([name, detector, seed, "", "", "", "", x_train.shape[0], used, "failed"])
                    print(f"{name} seed {seed} {detector}: FAILED {type(e).__name__}: {e}", file=sys.stderr)
    write_atomically(args.output, results)
    print(f"written: {args.output} ({len(results)} rows, {time.perf_counter() - wall:.1f} s)", file=sys.stderr)


if __name__ == "__main__":
    main()
