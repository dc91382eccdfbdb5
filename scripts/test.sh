#!/usr/bin/env bash
# Runs every test: unit, bUnit, API, PostgreSQL (the tests start their own throwaway server) and Playwright E2E in
# Debian's Chromium, then the tests that start the app again with the app on PostgreSQL. Installs what a fresh Debian
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
status=0
dotnet test AutoDeploy.sln --no-build --logger trx --results-directory TestResults "$@" || status=$?
phase "Tests (AutoDeploy.Tests and AutoDeploy.E2E side by side)"
# The tests that start the app (marked [Trait("Database", "App")], checked by AppDatabaseTraitTests) once more with the
# app on PostgreSQL (a throwaway server the tests start). Nothing else changes with the database: the PostgreSQL-only
# tests ran above, and the benchmarks' smoke runs have servers of their own.
AUTODEPLOY_TEST_DATABASE=Postgres dotnet test AutoDeploy.Tests --no-build --logger trx --results-directory TestResults/postgres \
  --filter "Database=App" "$@" || status=$?
phase "The app's tests again on PostgreSQL"

if ls TestResults/*.trx >/dev/null 2>&1; then
  read -r p f t e < <(grep -ho '<Counters [^>]*' TestResults/*.trx TestResults/postgres/*.trx | awk '{for(i=2;i<=NF;i++){split($i,a,"=");gsub(/"/,"",a[2]);v[a[1]]+=a[2]}} END{print v["passed"]+0, v["failed"]+v["error"]+v["timeout"]+v["aborted"], v["total"]+0, v["executed"]+0}')
  echo "$p passed, $f failed, $((t-e)) skipped"
else
  echo "0 passed, 1 failed, 0 skipped"
  status=1
fi
exit $status
