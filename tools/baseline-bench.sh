#!/usr/bin/env bash
# Fit and score times of the native baselines (iforest, ecod, knn, lof) on one large synthetic case.
# Usage: tools/baseline-bench.sh [rows [features [types [model.key=value ...]]]]
#   e.g. tools/baseline-bench.sh 400000 10 iforest,ecod,knn,lof
# Builds the test classes with Maven (offline once the dependencies are there) and prints a markdown table.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -o test-compile
cp_file=target/bench-classpath.txt
mvn -q -o dependency:build-classpath -Dmdep.outputFile="$cp_file" >/dev/null
exec java -Xmx8g -XX:+UseParallelGC -cp "target/classes:target/test-classes:$(cat "$cp_file")" \
  io.deepad4j.models.BaselineBench "$@"
