#!/usr/bin/env bash
# Runs tools/adbench_pyod.py (PyOD's IForest, ECOD, KNN, LOF, PCA, OCSVM on the ADBench splits that
# `./runner split` writes) in a virtual environment of its own with pinned PyOD, scikit-learn and numpy,
# created on first use; never the project's .venv (that one holds MLflow and pyspark for the tests).
#   tools/adbench-pyod.sh --data /work/shared/data/adbench --splits SPLITS_DIR --datasets 6_cardio,14_glass \
#       --seeds 1,2,3 -o outputs/bench/pyod-results.csv
# The environment's folder: $PYOD_VENV (default /tmp/deepad4j-pyod). Idempotent: an environment that
# already has the pinned versions is used as it is.
set -euo pipefail

PYOD_VERSION="${PYOD_VERSION:-3.6.7}"
SKLEARN_VERSION="${SKLEARN_VERSION:-1.9.1}"
NUMPY_VERSION="${NUMPY_VERSION:-2.3.5}"
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${PYOD_VENV:-/tmp/deepad4j-pyod}"
PYTHON="${PYTHON:-python3}"

if [ ! -x "$VENV/bin/python" ]; then
  "$PYTHON" -m venv "$VENV"
fi
installed="$("$VENV/bin/python" -c 'import importlib.metadata as m
print(m.version("pyod"), m.version("scikit-learn"), m.version("numpy"))' 2>/dev/null || true)"
if [ "$installed" != "$PYOD_VERSION $SKLEARN_VERSION $NUMPY_VERSION" ]; then
  echo "== installing pyod $PYOD_VERSION, scikit-learn $SKLEARN_VERSION, numpy $NUMPY_VERSION into $VENV" >&2
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "pyod==$PYOD_VERSION" \
    "scikit-learn==$SKLEARN_VERSION" "numpy==$NUMPY_VERSION"
fi
exec "$VENV/bin/python" "$REPO_ROOT/tools/adbench_pyod.py" "$@"
