#!/usr/bin/env bash
# Runs every test: unit, bUnit, API, PostgreSQL (the tests start their own throwaway server) and Playwright E2E in
# Debian's Chromium, and the tests that start the app again with the app on PostgreSQL. Installs what a fresh Debian
# machine lacks (while the solution builds), prints how long each phase took, then "N passed, N failed, N skipped"
# computed from the test results.
set -euo pipefail
cd "$(dirname "$0")/.."

phase_start=$(date +%s)
phase() {
  local now; now=$(date +%s)
  echo "== $1 took $((now - phase_start)) s"
  phase_start=$now
}

need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
install_pid=""
if [ ${#need[@]} -gt 0 ]; then
  echo "Installing ${need[*]} from Debian (beside the build)..."
  sudo_cmd=""; [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  ( $sudo_cmd apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${need[@]}" >/dev/null ) \
    >TestResults.install.log 2>&1 &
  install_pid=$!
fi

dotnet build AutoDeploy.sln -warnaserror
phase "Restore and build"
if [ -n "$install_pid" ]; then
  if ! wait "$install_pid"; then
    cat TestResults.install.log
    echo "Could not install ${need[*]}."
    exit 1
  fi
  phase "Waiting for the install of ${need[*]}"
fi
rm -f TestResults.install.log

rm -rf TestResults
# The test processes run with less runtime work: no profile-guided re-compilation (the suite runs most code a few times,
# then exits) and a larger, non-concurrent first GC generation. A subset of API and page tests used 20% less CPU so.
export DOTNET_TieredPGO=0 DOTNET_gcConcurrent=0 DOTNET_GCgen0size=0x4000000
# Three lanes side by side: AutoDeploy.Tests (SQLite), the Playwright tests, and the tests that start the app (marked
# [Trait("Database", "App")], checked by AppDatabaseTraitTests) once more with the app on PostgreSQL (a throwaway server
# the tests start). Nothing else changes with the database: the PostgreSQL-only tests run in the first lane, and the
# benchmarks' smoke runs have servers of their own. Each lane alone leaves the cores idle while its tests wait on agents,
# timers, processes and the browser; together they keep both busy. AutoDeploy.Tests runs four test classes at a time
# (xunit.runner.json) and starts its one-at-a-time "postgres" collection first (LongCollectionFirst).
lane() {
  local name=$1; shift
  local start; start=$(date +%s)
  local rc=0
  "$@" || rc=$?
  echo "== Lane: $name took $(($(date +%s) - start)) s"
  return $rc
}
# Each run names its results file: two runs starting in the same second would otherwise write the same name.
status=0
pids=()
lane "AutoDeploy.Tests" dotnet test AutoDeploy.Tests --no-build --logger "trx;LogFileName=tests.trx" --results-directory TestResults "$@" &
pids+=($!)
lane "AutoDeploy.E2E" dotnet test AutoDeploy.E2E --no-build --logger "trx;LogFileName=e2e.trx" --results-directory TestResults "$@" &
pids+=($!)
AUTODEPLOY_TEST_DATABASE=Postgres lane "the app's tests again on PostgreSQL" dotnet test AutoDeploy.Tests --no-build \
  --logger "trx;LogFileName=tests.trx" --results-directory TestResults/postgres --filter "Database=App" "$@" &
pids+=($!)
for pid in "${pids[@]}"; do
  wait "$pid" || status=$?
done
phase "Tests (three lanes)"

if ls TestResults/*.trx >/dev/null 2>&1; then
  read -r p f t e < <(grep -ho '<Counters [^>]*' TestResults/*.trx TestResults/postgres/*.trx | awk '{for(i=2;i<=NF;i++){split($i,a,"=");gsub(/"/,"",a[2]);v[a[1]]+=a[2]}} END{print v["passed"]+0, v["failed"]+v["error"]+v["timeout"]+v["aborted"], v["total"]+0, v["executed"]+0}')
  echo "$p passed, $f failed, $((t-e)) skipped"
else
  echo "0 passed, 1 failed, 0 skipped"
  status=1
fi
exit $status
