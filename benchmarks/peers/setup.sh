#!/usr/bin/env bash
# Create one virtualenv per peer framework under benchmarks/peers/.venvs/<name>, each
# from its pinned requirements file. Never touches the project's .venv. Network is needed
# here only (PyPI); the benchmarks themselves run offline.
#
#   benchmarks/peers/setup.sh [name ...]     # default: every requirements/*.txt
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
python="${PYTHON:-python3.11}"
names=("$@")
if [ ${#names[@]} -eq 0 ]; then
  for f in "$here"/requirements/*.txt; do names+=("$(basename "$f" .txt)"); done
fi
for name in "${names[@]}"; do
  venv="$here/.venvs/$name"
  echo "== $name -> $venv"
  "$python" -m venv "$venv"
  "$venv/bin/pip" install --quiet --upgrade pip
  "$venv/bin/pip" install --quiet -r "$here/requirements/$name.txt" \
    > "$here/.venvs/$name.log" 2>&1 || { echo "!! $name failed: see .venvs/$name.log"; continue; }
  "$venv/bin/pip" freeze > "$here/.venvs/$name.freeze.txt"
  echo "ok $name"
done
