#!/usr/bin/env bash
# The MLflow UI screens of a deepad4j run and sweep, checked in a real headless browser against a real
# server: starts a fresh `mlflow server` (.venv, SQLite store and artifacts in a temporary folder, a free
# port on 127.0.0.1), runs experiments/kdd_ae.yaml for 2 epochs (run name ui-ae) and a 3-trial sweep of
# its learning rate (ui_sweep, 2 epochs each) against it, then tools/ui_screenshots.py opens in headless
# Chromium: the run's overview, the logged model page, its MLmodel (signature), the run's model/ artifact
# (MLflow's schema table), the runs table (Dataset column), the sweep's parent expanded to its trials and
# the compare view of the trials; one PNG per screen, each page's text asserted (see that file).
#   tools/ui-screenshots.sh [--out DIR] [--keep]        (exit 0 ok, 1 a check failed, 2 a missing tool)
# --out: where the PNGs go (default outputs/ui-screenshots, emptied first); --keep: keep the server's
# folder (store, log, run outputs) and print where it is.
#
# Needs (Debian 12; as root, once):
#   apt-get update && apt-get install -y chromium chromium-driver
#   the Python side installs itself: a virtual environment at $UI_VENV (default /tmp/deepad4j-ui) with
#   selenium $SELENIUM_VERSION, created on first use; never the project's .venv (MLflow for the tests).
# Selenium drives the Debian chromium through /usr/bin/chromedriver (same version, same package source);
# nothing is downloaded at run time (Playwright's and Selenium Manager's browser downloads are not used).
# MLflow: .venv/bin/mlflow (bash .ci/install-mlflow.sh, MLflow 3.17.2; the UI checks are written for it).
set -euo pipefail

SELENIUM_VERSION="${SELENIUM_VERSION:-4.51.0}"
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${UI_VENV:-/tmp/deepad4j-ui}"
PYTHON="${PYTHON:-python3}"
OUT="$REPO_ROOT/outputs/ui-screenshots"
KEEP=0
while [ $# -gt 0 ]; do
  case "$1" in
    --out) OUT="$(mkdir -p "$2" && cd "$2" && pwd)"; shift 2 ;;
    --keep) KEEP=1; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "error: unknown argument $1 (see $0 --help)" >&2; exit 2 ;;
  esac
done

for tool in chromium chromedriver; do
  if ! command -v "$tool" >/dev/null; then
    echo "error: $tool not found: apt-get install -y chromium chromium-driver (Debian), or put it on PATH" >&2
    exit 2
  fi
done
MLFLOW="$REPO_ROOT/.venv/bin/mlflow"
if [ ! -x "$MLFLOW" ]; then
  echo "error: $MLFLOW not found: bash .ci/install-mlflow.sh installs it" >&2
  exit 2
fi
if [ ! -x "$VENV/bin/python" ]; then
  "$PYTHON" -m venv "$VENV"
fi
if [ "$("$VENV/bin/python" -c 'import importlib.metadata as m; print(m.version("selenium"))' 2>/dev/null || true)" \
    != "$SELENIUM_VERSION" ]; then
  echo "== installing selenium $SELENIUM_VERSION into $VENV" >&2
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "selenium==$SELENIUM_VERSION"
fi

WORK="$(mktemp -d /tmp/deepad4j-ui-XXXXXX)"
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ]; then
    # the server's own process group (setsid below): mlflow, its uvicorn worker and job runner
    kill -TERM -- "-$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 20); do kill -0 -- "-$SERVER_PID" 2>/dev/null || break; sleep 0.5; done
    kill -KILL -- "-$SERVER_PID" 2>/dev/null || true
  fi
  if [ "$KEEP" = 1 ]; then echo "kept: $WORK (server.log, mlflow.db, mlartifacts, outputs)"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

PORT="$("$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
URI="http://127.0.0.1:$PORT"
echo "== mlflow server on $URI (store $WORK)"
# a session of its own, whose leader (pid = process group id) writes its pid and becomes the server
setsid bash -c 'echo $$ > "$1/server.pid"; shift; exec "$@"' _ "$WORK" \
  "$MLFLOW" server --host 127.0.0.1 --port "$PORT" --workers 1 \
  --backend-store-uri "sqlite:///$WORK/mlflow.db" --artifacts-destination "$WORK/mlartifacts" \
  >"$WORK/server.log" 2>&1 &
disown  # stopped by cleanup below, without bash's job notice
for _ in $(seq 1 50); do [ -s "$WORK/server.pid" ] && break; sleep 0.1; done
SERVER_PID="$(cat "$WORK/server.pid")"
for i in $(seq 1 240); do
  if curl -fsS "$URI/health" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$SERVER_PID" 2>/dev/null || [ "$i" = 240 ]; then
    echo "error: mlflow server did not start; its log:" >&2; tail -20 "$WORK/server.log" >&2; exit 1
  fi
  sleep 1
done

EXPERIMENT="ui-shots"
export MLFLOW_TRACKING_URI="$URI"
cd "$REPO_ROOT"
echo "== single run: experiments/kdd_ae.yaml, 2 epochs"
timeout 900 ./runner experiments/kdd_ae.yaml --outputs "$WORK/outputs" \
  experiment="$EXPERIMENT" run_name=ui-ae model.epochs=2
cat >"$WORK/ui_sweep.yaml" <<EOF
# the learning rate of experiments/kdd_ae.yaml, 3 trials of 2 epochs (tools/ui-screenshots.sh)
base: $REPO_ROOT/experiments/kdd_ae.yaml
sweep:
  method: grid
  parallel: 1
  objective: {metric: val_roc_auc, mode: max}
  params:
    model.learning_rate: [0.001, 0.003, 0.01]
EOF
echo "== sweep: 3 trials"
timeout 900 ./runner sweep "$WORK/ui_sweep.yaml" --outputs "$WORK/outputs" experiment="$EXPERIMENT" model.epochs=2

echo "== browser: screens into $OUT"
mkdir -p "$OUT"
rm -f "$OUT"/*.png
"$VENV/bin/python" "$REPO_ROOT/tools/ui_screenshots.py" --tracking-uri "$URI" --experiment "$EXPERIMENT" \
  --run-name ui-ae --sweep-name ui_sweep --out "$OUT"
