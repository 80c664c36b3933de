#!/usr/bin/env bash
# A real Spark standalone cluster on 127.0.0.1: one master and one worker with this machine's cores,
# from the pyspark package (a whole Spark: bin/spark-class, bin/spark-submit, jars/) in <repo>/.venv,
# installed there at the version of the pom's spark.version when missing (like .ci/install-mlflow.sh).
#   tools/spark-local.sh start     prints the master URL (spark://127.0.0.1:7077) on stdout
#   tools/spark-local.sh stop      stops both daemons by the PIDs recorded at start
#   tools/spark-local.sh status    the URL when running, exit 1 when not
# Settings (environment): SPARK_LOCAL_STATE (default <repo>/.spark-local: PIDs, logs, the worker's
# work dir), SPARK_MASTER_PORT (7077), SPARK_MASTER_WEBUI_PORT (8080), SPARK_WORKER_WEBUI_PORT (8081),
# SPARK_WORKER_CORES (all cores), SPARK_WORKER_MEMORY (Spark's default: the machine's memory less 1g).
set -euo pipefail
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE="${SPARK_LOCAL_STATE:-$REPO_ROOT/.spark-local}"
MASTER_PORT="${SPARK_MASTER_PORT:-7077}"
MASTER_WEBUI_PORT="${SPARK_MASTER_WEBUI_PORT:-8080}"
WORKER_WEBUI_PORT="${SPARK_WORKER_WEBUI_PORT:-8081}"
CORES="${SPARK_WORKER_CORES:-$(nproc)}"

alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

spark_home() {
  bash "$REPO_ROOT/.ci/install-spark.sh" >&2
  "$REPO_ROOT/.venv/bin/python" -c 'import os, pyspark; print(os.path.dirname(pyspark.__file__))'
}

wait_for() { # file pattern seconds what
  local deadline=$((SECONDS + $3))
  until grep -q "$2" "$1" 2>/dev/null; do
    if [ $SECONDS -ge $deadline ]; then
      echo "spark-local: $4 not up after $3 s; see $1" >&2
      tail -20 "$1" >&2 || true
      return 1
    fi
    sleep 0.5
  done
}

start() {
  local url="spark://127.0.0.1:$MASTER_PORT"
  if alive "$STATE/master.pid" && alive "$STATE/worker.pid"; then
    echo "spark-local: already running (master PID $(cat "$STATE/master.pid"), worker PID $(cat "$STATE/worker.pid"))" >&2
    cat "$STATE/master.url"
    return 0
  fi
  stop >/dev/null 2>&1 || true
  local home
  home="$(spark_home)"
  mkdir -p "$STATE/work"
  echo "$home" > "$STATE/spark_home"
  export SPARK_LOCAL_IP=127.0.0.1 SPARK_HOME="$home"
  # no REST submission port (6066): nothing here submits through it
  SPARK_MASTER_OPTS="-Dspark.master.rest.enabled=false" nohup "$home/bin/spark-class" \
    org.apache.spark.deploy.master.Master --host 127.0.0.1 --port "$MASTER_PORT" --webui-port "$MASTER_WEBUI_PORT" \
    > "$STATE/master.log" 2>&1 < /dev/null &
  echo $! > "$STATE/master.pid" # spark-class execs java: this is the master's JVM
  wait_for "$STATE/master.log" "I have been elected leader" 90 "the master" || { stop; return 1; }
  local memory=()
  [ -n "${SPARK_WORKER_MEMORY:-}" ] && memory=(--memory "$SPARK_WORKER_MEMORY")
  SPARK_WORKER_DIR="$STATE/work" nohup "$home/bin/spark-class" org.apache.spark.deploy.worker.Worker \
    --host 127.0.0.1 --cores "$CORES" "${memory[@]}" --webui-port "$WORKER_WEBUI_PORT" --work-dir "$STATE/work" "$url" \
    > "$STATE/worker.log" 2>&1 < /dev/null &
  echo $! > "$STATE/worker.pid"
  wait_for "$STATE/worker.log" "Successfully registered with master" 90 "the worker" || { stop; return 1; }
  echo "$url" > "$STATE/master.url"
  echo "spark-local: master $url (UI http://127.0.0.1:$MASTER_WEBUI_PORT), worker with $CORES cores;" \
    "SPARK_HOME=$home; logs in $STATE" >&2
  echo "$url"
}

stop() {
  local any=0
  for d in worker master; do
    local f="$STATE/$d.pid"
    if alive "$f"; then
      local pid
      pid="$(cat "$f")"
      kill "$pid"
      for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
      kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
      echo "spark-local: stopped the $d (PID $pid)" >&2
      any=1
    fi
    rm -f "$f"
  done
  rm -f "$STATE/master.url"
  [ $any = 1 ] || echo "spark-local: not running" >&2
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) if alive "$STATE/master.pid" && alive "$STATE/worker.pid"; then cat "$STATE/master.url"; else exit 1; fi ;;
  *) echo "usage: tools/spark-local.sh start|stop|status" >&2; exit 2 ;;
esac
