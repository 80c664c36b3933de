#!/usr/bin/env python3
"""F1 of runs' test scores at the known anomaly share, as the test split holds it and with the anomalies weighted.

The GOAD and NeuTraL AD papers' KDD test split is half the attack rows plus every one of the 97,278 `normal.` rows
(the anomalies: 32.9% of it); the `zenati` protocol's is half the attack rows plus the `normal.` rows of the same
half (20%). The other half of the `normal.` rows is as unseen as these (neither protocol trains on `normal.` rows), so
counting each anomaly of a `zenati` run --weight 2 times estimates the papers' split. For each scores.csv (header
`score,label`, as every run writes it) prints the anomaly share and the F1 of flagging the top-scoring rows until
they weigh as much as the anomalies (the `anomaly_ratio` rule; rows are never split, ties ranked as they come), once
with weight 1 (= the run's own f1_score under `anomaly_ratio` or `percentile:80`) and once with --weight.

    python3 tools/f1_at_anomaly_share.py outputs/bench/bench-*/runs/kdd99-zenati/*/scores.csv
"""
import argparse
import csv


def f1_at_share(rows, weight):
    anomalies = sum(weight for _, label in rows if label == 1)
    total = anomalies + sum(1 for _, label in rows if label == 0)
    flagged = hits = 0.0
    for _, label in sorted(rows, key=lambda r: -r[0]):
        if flagged >= anomalies:
            break
        w = weight if label == 1 else 1
        flagged += w
        hits += w if label == 1 else 0
    precision, recall = hits / flagged, hits / anomalies
    return anomalies / total, 2 * precision * recall / (precision + recall)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("scores", nargs="+", help="scores.csv files of runs")
    parser.add_argument("--weight", type=float, default=2.0, help="weight of each anomaly (default 2)")
    args = parser.parse_args()
    print("| scores | anomaly share | F1 | anomaly share (weighted) | F1 (weighted) |")
    print("|---|---:|---:|---:|---:|")
    for path in args.scores:
        with open(path, newline="") as f:
            rows = [(float(r["score"]), int(r["label"])) for r in csv.DictReader(f)]
        share, f1 = f1_at_share(rows, 1)
        wshare, wf1 = f1_at_share(rows, args.weight)
        print(f"| {path} | {share:.3f} | {f1:.4f} | {wshare:.3f} | {wf1:.4f} |")


if __name__ == "__main__":
    main()
