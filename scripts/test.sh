#!/usr/bin/env bash
# The one test command (npm test): typecheck, then every jest test against real services, on the
# Temporal dev server, then a focused set and the fault drill again on a real Temporal cluster.
# jest's global setup installs and starts what the tests need (PostgreSQL, Temporal binaries).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d node_modules ] || npm ci --no-audit --no-fund
# The browser tests drive Debian's chromium (Playwright's own browser download does not work here).
if [ ! -x /usr/bin/chromium ] && [ -z "${CHROMIUM_PATH:-}" ]; then
  echo "installing chromium (apt-get) for the browser tests"
  if [ "$(id -u)" = 0 ]; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) || echo "chromium could not be installed: the browser tests will fail"
  else
    echo "not root: install chromium yourself (apt-get install chromium) or set CHROMIUM_PATH"
  fi
fi
echo "typecheck (tsc --noEmit; the console's own tsconfig too)"
npx tsc --noEmit -p .
npx tsc --noEmit -p console
# The console and portal, rebuilt when a source is newer than the build (the browser tests load it).
npx tsx scripts/lib/console-build.ts
# Given test paths (or a flag with a value), run just that: `npm test -- test/slice.test.ts`.
for arg in "$@"; do
  case "$arg" in -*) ;; *) exec npx jest "$@" ;; esac
done

# The cluster tier (a real Temporal server on PostgreSQL, scripts/lib/temporal-cluster.ts) is tested too
# when its binaries can be had: cached in .tools/go/bin, or Go is here to build them (about 9 minutes
# once). EXITFLOW_CLUSTER_TESTS=0 leaves it out; =1 requires it.
cluster_tier() {
  case "${EXITFLOW_CLUSTER_TESTS:-auto}" in
    0|false|no) return 1 ;;
    1|true|yes) return 0 ;;
    *) { [ -x .tools/go/bin/server ] && [ -x .tools/go/bin/sql ]; } || command -v go >/dev/null 2>&1 ;;
  esac
}
phase() { echo "── $1 ($(date -u +%H:%M:%S) UTC)"; }
took() { echo "── $1 took $(( SECONDS - $2 )) s"; }

t=$SECONDS
phase "every test on the Temporal dev server, but the fault drill and the cluster's own test"
npx jest "$@" --testPathIgnorePatterns /test/drills/ '/test/cluster\.test\.ts$'
took "dev server: tests" $t
# The fault drill kills and restarts processes and takes PostgreSQL and SMTP down: it runs on its own,
# after the rest, so its load does not slow the time-skipping tests beside it.
t=$SECONDS
phase "fault drill (test/drills) on the dev server"
npx jest "$@" test/drills
took "dev server: fault drill" $t

if cluster_tier; then
  t=$SECONDS
  phase "the Temporal cluster's binaries (built once from the Go module proxy, then cached in .tools/go/bin)"
  npx tsx scripts/cluster.ts --build --headless
  took "cluster binaries" $t
  # A focused set on the real server: the cluster tier's own test, the end-to-end paths through the API
  # (one per dimension, crash retries, idempotency, health, public lists and campaign reports written by
  # the workflows) and the small fault drill beside them. Time-skipping tests keep their own test server.
  t=$SECONDS
  phase "end-to-end tests and the fault drill on a real Temporal cluster (EXITFLOW_TEMPORAL=cluster)"
  EXITFLOW_TEMPORAL=cluster npx jest "$@" \
    test/cluster.test.ts test/api-paths.test.ts test/slice.test.ts test/crash-retry.test.ts test/idempotency.test.ts test/open-case-update-with-start.test.ts \
    test/health.test.ts test/public-lists-paths.test.ts test/campaign-reports-flow.test.ts test/drills
  took "cluster: tests and fault drill" $t
else
  echo "── cluster tier left out (EXITFLOW_CLUSTER_TESTS=${EXITFLOW_CLUSTER_TESTS:-auto}; no cached binaries and no Go to build them)"
fi
