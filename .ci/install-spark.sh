#!/usr/bin/env bash
# Installs pyspark (a whole Spark: bin/spark-submit, bin/spark-class, jars/) into <repo>/.venv at the
# version of the pom's spark.version, which the code compiles against (provided scope). Used by the
# Spark tests (tools/spark-local.sh) and by ./runner ... --spark when SPARK_HOME is not set.
# Idempotent: does nothing when that version is already there.
set -euo pipefail
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$REPO_ROOT/.venv"
PYTHON="${PYTHON:-python3}"
SPARK_VERSION="${SPARK_VERSION:-$(sed -n 's:.*<spark.version>\(.*\)</spark.version>.*:\1:p' "$REPO_ROOT/pom.xml")}"

if [ ! -x "$VENV/bin/python" ]; then
  "$PYTHON" -m venv "$VENV"
fi
installed="$("$VENV/bin/python" -c 'import importlib.metadata as m; print(m.version("pyspark"))' 2>/dev/null || true)"
if [ "$installed" != "$SPARK_VERSION" ]; then
  echo "installing pyspark $SPARK_VERSION into $VENV" >&2
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "pyspark==$SPARK_VERSION"
fi
