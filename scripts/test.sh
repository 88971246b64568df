#!/usr/bin/env bash
# The one test command (npm test): typecheck, then every jest test against real services.
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
npx jest "$@" --testPathIgnorePatterns /test/drills/
# The fault drill kills and restarts processes and takes PostgreSQL and SMTP down: it runs on its own,
# after the rest, so its load does not slow the time-skipping tests beside it.
echo "fault drill (test/drills)"
exec npx jest "$@" test/drills
