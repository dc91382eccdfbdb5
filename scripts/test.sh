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
# Two lanes side by side, about as long as each other on two cores: AutoDeploy.Tests (SQLite), and the Playwright
# tests followed by the tests that start the app (marked [Trait("Database", "App")], checked by AppDatabaseTraitTests)
# once more with the app on PostgreSQL (a throwaway server the tests start). Nothing else changes with the database:
# the PostgreSQL-only tests run in the first lane, and the benchmarks' smoke runs have servers of their own. The
# browser keeps both cores busy; the first lane alone did not (its tests wait on agents, timers and processes).
# More at once was not quicker: a third lane (the PostgreSQL run beside the others), or four test classes at a time
# with the one-at-a-time "postgres" collection first, each made the run slower. The cores are the limit.
lane_tests() {
  local start; start=$(date +%s)
  local rc=0
  dotnet test AutoDeploy.Tests --no-build --logger "trx;LogFileName=tests.trx" --results-directory TestResults "$@" || rc=$?
  echo "== Lane 1: AutoDeploy.Tests took $(($(date +%s) - start)) s"
  return $rc
}
lane_browser_then_postgres() {
  local start; start=$(date +%s)
  local rc=0
  dotnet test AutoDeploy.E2E --no-build --logger "trx;LogFileName=e2e.trx" --results-directory TestResults "$@" || rc=$?
  echo "== Lane 2: AutoDeploy.E2E took $(($(date +%s) - start)) s"
  start=$(date +%s)
  AUTODEPLOY_TEST_DATABASE=Postgres dotnet test AutoDeploy.Tests --no-build --logger "trx;LogFileName=tests.trx" --results-directory TestResults/postgres \
    --filter "Database=App" "$@" || rc=$?
  echo "== Lane 2: the app's tests again on PostgreSQL took $(($(date +%s) - start)) s"
  return $rc
}
# Each run names its results file: two runs starting in the same second would otherwise write the same name.
status=0
lane_tests "$@" &
tests_pid=$!
lane_browser_then_postgres "$@" &
browser_pid=$!
wait "$tests_pid" || status=$?
wait "$browser_pid" || status=$?
phase "Tests (two lanes)"

if ls TestResults/*.trx >/dev/null 2>&1; then
  read -r p f t e < <(grep -ho '<Counters [^>]*' TestResults/*.trx TestResults/postgres/*.trx | awk '{for(i=2;i<=NF;i++){split($i,a,"=");gsub(/"/,"",a[2]);v[a[1]]+=a[2]}} END{print v["passed"]+0, v["failed"]+v["error"]+v["timeout"]+v["aborted"], v["total"]+0, v["executed"]+0}')
  echo "$p passed, $f failed, $((t-e)) skipped"
else
  echo "0 passed, 1 failed, 0 skipped"
  status=1
fi
exit $status
