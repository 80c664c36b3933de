#!/usr/bin/env bash
# Runs every spec of experiments/ (kdd_*.yaml and zenati/*.yaml, at their own seeds, tracking off) with the
# code of a git ref and with the working tree, and compares what they wrote: scores.csv byte for byte and
# every metric of metrics.json except the timings (a metric only the new code writes is listed, not a
# difference). The check a refactor must pass ("a refactor keeps every spec's metrics"); it prints one
# line per spec and exits 1 if any differs.
#   tools/specs-identical.sh <git-ref> [spec ...]     e.g. tools/specs-identical.sh origin/main
# Needs the KDD files in data/kdd99 (copied from ../shared/data/kdd99 or downloaded by ./runner).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ref="${1:?usage: tools/specs-identical.sh <git-ref> [spec ...]}"
shift
specs=("$@")
if [ ${#specs[@]} -eq 0 ]; then
  specs=("$root"/experiments/kdd_*.yaml "$root"/experiments/zenati/*.yaml)
fi
work="$(mktemp -d)"
trap 'git -C "$root" worktree remove --force "$work/base" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

echo "== building $ref and the working tree" >&2
git -C "$root" worktree add --detach "$work/base" "$ref" >/dev/null
(cd "$work/base" && mvn -q -B -DskipTests package) >&2
(cd "$root" && mvn -q -B -DskipTests package) >&2

run() { # jar outputs spec
  java -Xmx8g -XX:+UseParallelGC -Djava.awt.headless=true -jar "$1" "$3" tracking.uri=none \
    "dataset.data_dir=$root/data/kdd99" --outputs "$2" >/dev/null 2>&1
}
differs=0
for spec in "${specs[@]}"; do
  name="$(basename "$(dirname "$spec")")/$(basename "$spec")"
  # the ref runs its own copy of the spec where it has one (a key may have been renamed since)
  rel="$(realpath --relative-to="$root" "$spec")"
  base_spec="$spec"
  [ -f "$work/base/$rel" ] && base_spec="$work/base/$rel"
  run "$work/base/target/deepad4j-0.1.0-SNAPSHOT.jar" "$work/out-base/$name" "$base_spec"
  run "$root/target/deepad4j-0.1.0-SNAPSHOT.jar" "$work/out-new/$name" "$spec"
  a="$(find "$work/out-base/$name" -name scores.csv | head -1)"
  b="$(find "$work/out-new/$name" -name scores.csv | head -1)"
  verdict="$(python3 - "$a" "$b" <<'PY'
import json, os, sys
a, b = sys.argv[1], sys.argv[2]
same_scores = open(a, 'rb').read() == open(b, 'rb').read()
ma = json.load(open(os.path.join(os.path.dirname(a), 'metrics.json')))
mb = json.load(open(os.path.join(os.path.dirname(b), 'metrics.json')))
timing = lambda k: k.endswith('_time_s') or k.endswith('time_median_s') or k == 'model_size_kb'
# a metric the old code did not write is reported as added; one it wrote must keep its value
diff = sorted(k for k in ma if not timing(k) and ma.get(k) != mb.get(k))
added = sorted(k for k in set(mb) - set(ma) if not timing(k))
print(('identical' if same_scores and not diff else 'DIFFERS') + ' scores.csv ' + ('same' if same_scores else 'differ')
      + ', roc_auc ' + str(mb.get('roc_auc')) + (', metrics differing: ' + ', '.join(diff) if diff else '')
      + (', metrics added: ' + ', '.join(added) if added else ''))
PY
)"
  echo "$name: $verdict"
  [[ "$verdict" == identical* ]] || differs=1
done
exit $differs
