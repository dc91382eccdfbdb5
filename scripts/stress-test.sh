#!/usr/bin/env bash
# The suite under load: runs the README's test command (scripts/test.sh) on fresh clones of one commit (HEAD when it
# starts, so commits made during a series do not change what it tests), each
# beside a CPU hog (Debian's stress-ng keeping every core busy), and prints one line per run:
#   run  passed  failed  skipped  minutes  result
# Usage: scripts/stress-test.sh [RUNS=5] [HOG_WORKERS=<cores>]   Exit code: 0 when every run was green.
# A red run's clone is kept (its TestResults/ and output.log) and its path printed.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
workers=${2:-$(nproc)}

if ! command -v stress-ng >/dev/null; then
  echo "Installing stress-ng from Debian..."
  sudo_cmd=""; [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq stress-ng >/dev/null
fi

origin=$(pwd)
rev=$(git rev-parse HEAD)
red=0
echo "Testing $(git log -1 --format='%h %cd' --date=iso "$rev") beside stress-ng --cpu $workers"
printf '%-4s %7s %7s %8s %8s  %s\n' run passed failed skipped minutes result
for i in $(seq 1 "$runs"); do
  clone=$(mktemp -d /tmp/autodeploy-stress-XXXXXX)
  git clone -q --no-local "$origin" "$clone"
  git -C "$clone" checkout -q "$rev"
  stress-ng --cpu "$workers" --timeout 0 --quiet &
  hog=$!
  start=$(date +%s)
  rc=0
  (cd "$clone" && scripts/test.sh >output.log 2>&1) || rc=$?
  minutes=$(awk "BEGIN{printf \"%.1f\", ($(date +%s)-$start)/60}")
  kill "$hog"; wait "$hog" 2>/dev/null || true
  summary=$(grep -Eo '^[0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$' "$clone/output.log" | tail -1 || true)
  read -r passed failed skipped <<<"$(echo "${summary:-0 passed, 1 failed, 0 skipped}" | awk '{print $1, $3, $5}')"
  if [ "$rc" -eq 0 ]; then
    result=green
    rm -rf "$clone"
  else
    result="RED (kept in $clone)"
    red=1
  fi
  printf '%-4s %7s %7s %8s %8s  %s\n' "$i" "$passed" "$failed" "$skipped" "$minutes" "$result"
done
exit $red
