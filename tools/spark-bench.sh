#!/usr/bin/env bash
# Benchmark: the same 8-trial autoencoder sweep (KDD Cup 99, ff12) locally with --parallel 2 and on the
# local Spark cluster (tools/spark-local.sh: one worker with this machine's cores), both tracked in a
# real MLflow server started here. Prints a table: wall time, Spark's one-time application start
# (driver JVM start to first task), the trials phase, and the overhead per trial.
#   tools/spark-bench.sh [EPOCHS] [ROUNDS]   (default 5 epochs per trial, 1 round; 2 rounds run
#                                            local, spark, spark, local and report each mode's mean)
# Not a test: numbers depend on the machine and on what else runs on it (load average is printed).
set -euo pipefail
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO_ROOT"
report() { # WORK ROUNDS: the table, from the logs and trials.jsonl files of a finished benchmark
python3 - "$1" "$2" <<'PY'
import json, re, sys, glob, statistics
work, rounds = sys.argv[1], int(sys.argv[2])
rows = {}
for mode in ("local", "spark"):
    runs = []
    for k in range(1, rounds + 1):
        name = f"{mode}-{k}"
        t0, t1 = map(float, open(f"{work}/{name}.time").read().split())
        log = open(f"{work}/{name}.log").read()
        trials = float(re.search(r"trials run, \d+ failed.*? in ([\d.]+) s", log).group(1))
        m = re.search(r"first task ([\d.]+) s after the driver JVM started", log)
        start = float(m.group(1)) if m else 0.0
        recs = [json.loads(l) for f in glob.glob(f"{work}/outputs-{name}/sweeps/*/trials.jsonl") for l in open(f) if l.strip()]
        runs.append(dict(wall=t1 - t0, trials=trials, start=start, n=len(recs),
                         finished=sum(r["status"] == "FINISHED" for r in recs),
                         in_trial=statistics.mean(r["seconds"] for r in recs),
                         # what the 2 slots spent outside the trials' own code (scheduling, task start, MLflow look-ups)
                         outside=(2 * trials - sum(r["seconds"] for r in recs)) / len(recs)))
        print(f"round {k} {mode}: wall {t1 - t0:.1f} s, trials phase {trials:.1f} s", file=sys.stderr)
    rows[mode] = {k: (sum(r[k] for r in runs) if k in ("n", "finished") else statistics.mean(r[k] for r in runs))
                  for k in runs[0]}
l, s = rows["local"], rows["spark"]
print(f"{'8-trial sweep, mean of ' + str(rounds) + ' round(s)':40} {'local --parallel 2':>20} {'Spark, local cluster':>22}")
def line(label, a, b): print(f"{label:40} {a:>20} {b:>22}")
line("trials finished", f"{l['finished']}/{l['n']}", f"{s['finished']}/{s['n']}")
line("wall time, whole command (s)", f"{l['wall']:.1f}", f"{s['wall']:.1f}")
line("application start (s)", "-", f"{s['start']:.1f}")
line("trials phase (s)", f"{l['trials']:.1f}", f"{s['trials']:.1f}")
line("mean time inside a trial (s)", f"{l['in_trial']:.1f}", f"{s['in_trial']:.1f}")
line("slot time outside trials, per trial (s)", f"{l['outside']:.2f}", f"{s['outside']:.2f}")
over = (s["trials"] - l["trials"]) * 2 / (s["n"] / rounds)
print(f"Spark, apart from its start: {100 * (s['trials'] / l['trials'] - 1):+.1f}% on the trials phase;"
      f" overhead per trial {over:+.2f} s (trials phase difference x 2 slots / {s['n'] // rounds} trials)")
PY
}
if [ "${1:-}" = "--report" ]; then # tools/spark-bench.sh --report WORK_DIR ROUNDS: print the table again
  report "$2" "$3"
  exit 0
fi
EPOCHS="${1:-5}"
ROUNDS="${2:-1}"
WORK="$(mktemp -d /tmp/deepad4j-spark-bench.XXXXXX)"
PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"

bash .ci/install-mlflow.sh >/dev/null
setsid .venv/bin/mlflow server --host 127.0.0.1 --port "$PORT" --workers 1 \
  --backend-store-uri "sqlite:///$WORK/mlflow.db" --artifacts-destination "$WORK/mlartifacts" > "$WORK/mlflow.log" 2>&1 &
MLFLOW_PID=$!
started_cluster=0
cleanup() {
  kill -- "-$MLFLOW_PID" 2>/dev/null || true # its own process group (setsid): the server and its workers
  [ $started_cluster = 1 ] && tools/spark-local.sh stop || true
}
trap cleanup EXIT
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$PORT/health" >/dev/null && break; sleep 0.5; done

if ! MASTER="$(tools/spark-local.sh status)"; then
  MASTER="$(tools/spark-local.sh start)"
  started_cluster=1
fi

cat > "$WORK/bench8.yaml" <<YAML
base: $REPO_ROOT/experiments/kdd_ae.yaml
sweep:
  method: grid
  parallel: 2
  objective: {metric: roc_auc, mode: max}
  params:
    model.epochs: [$EPOCHS]
    model.learning_rate: [0.001, 0.003, 0.01, 0.03]
    model.latent_dim: [2, 4]
YAML
./runner --version >/dev/null # build first, outside the timings

run() { # name args...
  local name=$1; shift
  name="$name-$ROUND"
  local t0 t1
  t0=$(date +%s.%N)
  ./runner sweep "$WORK/bench8.yaml" "tracking.uri=http://127.0.0.1:$PORT" --outputs "$WORK/outputs-$name" "$@" \
    > "$WORK/$name.log" 2>&1 || { echo "the $name sweep failed; see $WORK/$name.log" >&2; tail -20 "$WORK/$name.log" >&2; exit 1; }
  t1=$(date +%s.%N)
  echo "$t0 $t1" > "$WORK/$name.time"
}
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for ROUND in $(seq 1 "$ROUNDS"); do
  if [ $((ROUND % 2)) = 1 ]; then
    run local --parallel 2; run spark --spark "$MASTER"
  else
    run spark --spark "$MASTER"; run local --parallel 2
  fi
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

report "$WORK" "$ROUNDS"
echo "load average before: $load_before; after: $load_after; $(nproc) cores; details in $WORK"
