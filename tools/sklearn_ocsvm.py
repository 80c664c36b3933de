#!/usr/bin/env python3
"""scikit-learn's OneClassSVM on the ff12 training rows: the speed reference of kdd_ocsvm.yaml.

Builds the same training matrix as deepad4j's ff12 protocol (the 97,278 `normal.` rows of
kddcup.data_10_percent.gz, its 18 continuous features from column 23 on, min-max scaled on
themselves), fits OneClassSVM(kernel=rbf, nu, gamma, cache_size) --repeats times and prints a
table of fit times with their median. Compare with the train_time_s of
`./runner bench experiments/kdd_ocsvm.yaml` run on the same machine at the same time.

    python3 -m venv /tmp/skl && /tmp/skl/bin/pip install scikit-learn
    /tmp/skl/bin/python tools/sklearn_ocsvm.py --repeats 3
"""
import argparse
import gzip
import statistics
import sys
import time

import numpy as np

FIRST_FF12_COLUMN = 23  # the 18 continuous features run from here to the last feature column


def ff12_training_rows(path):
    rows = []
    with gzip.open(path, "rt") as f:
        for line_number, line in enumerate(f, 1):
            fields = line.rstrip("\n").split(",")
            if len(fields) != 42:
                sys.exit(f"{path}:{line_number}: expected 42 fields, found {len(fields)}")
            if fields[41] == "normal.":
                rows.append([float(v) for v in fields[FIRST_FF12_COLUMN:41]])
    x = np.asarray(rows, dtype=np.float32)
    low, high = x.min(axis=0), x.max(axis=0)
    span = np.where(high > low, high - low, 1.0)
    return ((x - low) / span).astype(np.float64)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data", default="data/kdd99/kddcup.data_10_percent.gz")
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--nu", type=float, default=0.01)
    p.add_argument("--gamma", type=float, default=0.5)
    p.add_argument("--cache-size-mb", type=float, default=500)
    a = p.parse_args()
    from sklearn.svm import OneClassSVM  # here: tools/keras_epoch_bench.py imports this file without scikit-learn

    x = ff12_training_rows(a.data)
    times = []
    print("| repeat | rows | support vectors | fit time (s) |")
    print("|---|---|---|---|")
    for r in range(1, a.repeats + 1):
        model = OneClassSVM(kernel="rbf", nu=a.nu, gamma=a.gamma, cache_size=a.cache_size_mb)
        start = time.perf_counter()
        model.fit(x)
        times.append(time.perf_counter() - start)
        print(f"| {r} | {len(x)} | {len(model.support_)} | {times[-1]:.2f} |", flush=True)
    print(f"| median | | | {statistics.median(times):.2f} |")


if __name__ == "__main__":
    main()
