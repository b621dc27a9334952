#!/usr/bin/env bash
# Sets up everything and runs the whole test suite, on SQLite and on a throwaway PostgreSQL:
#   system libraries Qt needs (if missing), PostgreSQL (if missing), .venv with the app and test tools,
#   then the layer contracts (import-linter), ruff, mypy --strict on the core, and pytest (Qt offscreen).
# Extra arguments go to pytest, e.g. scripts/test.sh -k claims
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh

ensure_debian_packages $QT_RUNTIME_PKGS
ensure_venv test

start_throwaway_postgres "${MODERATOR_TEST_PG_PORT:-55432}"
trap stop_throwaway_postgres EXIT
export MODERATOR_REQUIRE_PG=1 QT_QPA_PLATFORM=offscreen

failed=()
echo "== layer contracts (import-linter)"
.venv/bin/lint-imports --no-cache >.venv/lint-imports.log 2>&1 || failed+=("layer contracts")
grep -E "KEPT|BROKEN|Contracts:" .venv/lint-imports.log || cat .venv/lint-imports.log
echo "== ruff"
.venv/bin/ruff check moderator_app tests benchmarks || failed+=("ruff")
echo "== mypy --strict (domain, storage, inference, services, demo: [tool.mypy] in pyproject.toml)"
.venv/bin/python -m mypy --cache-dir .venv/mypy-cache || failed+=("mypy")
echo "== pytest (SQLite and PostgreSQL)"
.venv/bin/python -m pytest -p no:cacheprovider "$@" || failed+=("pytest")
if [ ${#failed[@]} -gt 0 ]; then echo "FAILED: ${failed[*]}"; exit 1; fi
