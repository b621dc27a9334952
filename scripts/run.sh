#!/usr/bin/env bash
# Sets up everything and opens the review window on the demo database:
#   system libraries Qt needs (if missing), .venv with the app, the demo database (built once, ~30 s),
#   then the window. Extra arguments go to moderator-app, e.g. scripts/run.sh --reviewer k.nowak
# MODERATOR_DEMO_DB overrides where the demo database lives.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh

ensure_debian_packages $QT_RUNTIME_PKGS $QT_WINDOW_PKGS
ensure_venv ""

demo_db="${MODERATOR_DEMO_DB:-$(.venv/bin/python -c 'import os; from moderator_app.settings import Settings; print(Settings.from_environ(os.environ).data_dir / "demo.db")')}"
if [ ! -f "$demo_db" ]; then
    echo "Building the demo database at $demo_db ..."
    .venv/bin/moderator-app --db "$demo_db" demo >/dev/null
fi
echo "Demo accounts: a.moreau / a.moreau-demo-2025 (moderator), s.supervisor / s.supervisor-demo-2025 (supervisor)"
if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
    shot="${demo_db%.db}-window.png"
    MODERATOR_USER="${MODERATOR_USER:-a.moreau}" MODERATOR_PASSWORD="${MODERATOR_PASSWORD:-a.moreau-demo-2025}" \
        .venv/bin/moderator-app --db "$demo_db" "$@" screenshot "$shot" >/dev/null
    echo "No screen here (neither DISPLAY nor WAYLAND_DISPLAY is set), so the window cannot open."
    echo "A picture of it, with the first item of the queue, is at $shot"
    echo "On a desktop, run this again to review: scripts/run.sh"
    exit 0
fi
exec .venv/bin/moderator-app --db "$demo_db" "$@" gui
