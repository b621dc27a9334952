#!/usr/bin/env bash
# Sets up everything and runs the whole test suite, on SQLite and on a throwaway PostgreSQL:
#   system libraries Qt needs (if missing), PostgreSQL (if missing), .venv with the app and test tools,
#   then the layer contracts (import-linter), ruff, and pytest (Qt offscreen).
# Extra arguments go to pytest, e.g. scripts/test.sh -k claims
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh

ensure_debian_packages $QT_RUNTIME_PKGS
ensure_venv test

start_throwaway_postgres "${MODERATOR_TEST_PG_PORT:-55432}"
trap stop_throwaway_postgres EXIT
export MODERATOR_REQUIRE_PG=1 QT_QPA_PLATFORM=offscreen

echo "== layer contracts"; .venv/bin/lint-imports --no-cache | tail -n 12
echo "== ruff"; .venv/bin/ruff check moderator_app tests benchmarks
echo "== pytest (SQLite and PostgreSQL)"
.venv/bin/python -m pytest -p no:cacheprovider "$@"
