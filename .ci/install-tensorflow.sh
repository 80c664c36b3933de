#!/usr/bin/env bash
# Installs a pinned tensorflow-cpu into <repo>/.venv beside MLflow, for the tests tagged "mlflow" that load every
# detector's SavedModel in Python (mlflow.pyfunc.load_model, `mlflow models serve --env-manager local`:
# PyfuncServeTest). deepad4j itself does not need it (TensorFlow Java brings its own native library).
# Idempotent: does nothing when the pinned version is already there.
set -euo pipefail

# TensorFlow Java 1.1.0 is TensorFlow 2.18; tensorflow-cpu 2.20.0 loads its SavedModels (PyfuncServeTest checks
# every detector type) and, unlike 2.18/2.19, installs beside MLflow 3.17.2's numpy 2.x and protobuf without
# downgrading them (pip install --dry-run shows no change to either).
TENSORFLOW_VERSION="${TENSORFLOW_VERSION:-2.20.0}"
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$REPO_ROOT/.venv"
PYTHON="${PYTHON:-python3}"

if [ ! -x "$VENV/bin/python" ]; then
  "$PYTHON" -m venv "$VENV"
fi
installed="$("$VENV/bin/python" -c 'import importlib.metadata as m; print(m.version("tensorflow-cpu"))' 2>/dev/null || true)"
if [ "$installed" != "$TENSORFLOW_VERSION" ]; then
  echo "installing tensorflow-cpu $TENSORFLOW_VERSION into $VENV" >&2
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "tensorflow-cpu==$TENSORFLOW_VERSION"
fi
