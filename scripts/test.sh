#!/usr/bin/env bash
# The one test command (npm test): typecheck, then every jest test against real services.
# jest's global setup installs and starts what the tests need (PostgreSQL, Temporal binaries).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d node_modules ] || npm ci --no-audit --no-fund
echo "typecheck (tsc --noEmit)"
npx tsc --noEmit -p .
# Given test paths (or a flag with a value), run just that: `npm test -- test/slice.test.ts`.
for arg in "$@"; do
  case "$arg" in -*) ;; *) exec npx jest "$@" ;; esac
done
npx jest "$@" --testPathIgnorePatterns /test/drills/
# The fault drill kills and restarts processes and takes PostgreSQL and SMTP down: it runs on its own,
# after the rest, so its load does not slow the time-skipping tests beside it.
echo "fault drill (test/drills)"
exec npx jest "$@" test/drills
