#!/usr/bin/env bash
# Installs a pinned MLflow into <repo>/.venv for the integration tests tagged "mlflow"
# (MlflowTestServer looks for .venv/bin/mlflow) and for a local tracking server:
#   .venv/bin/mlflow server --host 127.0.0.1 --port 5000
# Idempotent: reuses an existing .venv and does nothing when the pinned version is already there.
set -euo pipefail

# Newest installable 3.x when pinned: mlflow 3.18.0 is listed, but its companion packages
# mlflow-skinny/mlflow-tracing 3.18.0 are not (pip fails to resolve it), so 3.17.2.
MLFLOW_VERSION="${MLFLOW_VERSION:-3.17.2}"
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$REPO_ROOT/.venv"
PYTHON="${PYTHON:-python3}"

if [ ! -x "$VENV/bin/python" ]; then
  "$PYTHON" -m venv "$VENV"
fi
installed="$("$VENV/bin/python" -c 'import importlib.metadata as m; print(m.version("mlflow"))' 2>/dev/null || true)"
if [ "$installed" != "$MLFLOW_VERSION" ]; then
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "mlflow==$MLFLOW_VERSION"
fi
"$VENV/bin/mlflow" --version
