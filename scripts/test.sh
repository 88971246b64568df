#!/usr/bin/env bash
# The one test command (npm test): typecheck, then every jest test against real services.
# jest's global setup installs and starts what the tests need (PostgreSQL, Temporal binaries).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d node_modules ] || npm ci --no-audit --no-fund
echo "typecheck (tsc --noEmit)"
npx tsc --noEmit -p .
exec npx jest "$@"
