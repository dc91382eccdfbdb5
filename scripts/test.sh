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
mkdir -p TestResults
status=0
# Two lanes side by side (the suite waits more than it computes: one lane alone keeps about one core busy):
#   1. AutoDeploy.Tests;
#   2. AutoDeploy.E2E, then the tests that start the app (marked [Trait("Database", "App")], checked by
#      AppDatabaseTraitTests) once more with the app on PostgreSQL (a throwaway server the tests start). Nothing else
#      changes with the database: the PostgreSQL-only tests run in lane 1, and the benchmarks' smoke runs have servers
#      of their own.
# Lane 1's output is printed when it ends, after lane 2's.
( dotnet test AutoDeploy.Tests --no-build --logger trx --results-directory TestResults "$@" >TestResults/lane1.log 2>&1
  echo $? >TestResults/lane1.status ) &
lane1=$!
dotnet test AutoDeploy.E2E --no-build --logger trx --results-directory TestResults "$@" || status=$?
phase "AutoDeploy.E2E (beside AutoDeploy.Tests)"
AUTODEPLOY_TEST_DATABASE=Postgres dotnet test AutoDeploy.Tests --no-build --logger trx --results-directory TestResults/postgres \
  --filter "Database=App" "$@" || status=$?
phase "The app's tests again on PostgreSQL (beside AutoDeploy.Tests)"
wait "$lane1" || true
cat TestResults/lane1.log
[ "$(cat TestResults/lane1.status 2>/dev/null)" = "0" ] || status=1
phase "AutoDeploy.Tests, until it ended"

if ls TestResults/*.trx >/dev/null 2>&1; then
  read -r p f t e < <(grep -ho '<Counters [^>]*' TestResults/*.trx TestResults/postgres/*.trx | awk '{for(i=2;i<=NF;i++){split($i,a,"=");gsub(/"/,"",a[2]);v[a[1]]+=a[2]}} END{print v["passed"]+0, v["failed"]+v["error"]+v["timeout"]+v["aborted"], v["total"]+0, v["executed"]+0}')
  echo "$p passed, $f failed, $((t-e)) skipped"
else
  echo "0 passed, 1 failed, 0 skipped"
  status=1
fi
exit $status
