# Sourced by scripts/test.sh and scripts/run.sh: installs what the workstation needs on Debian/Ubuntu.
# Functions only; nothing runs when sourced.

QT_RUNTIME_PKGS="libegl1 libgl1 libfontconfig1 libfreetype6 libxkbcommon0 libglib2.0-0 libdbus-1-3 libx11-6 fonts-dejavu-core"
QT_WINDOW_PKGS="libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-render-util0 libxcb-render0 libxcb-shape0 libxcb-util1 libxcb-xkb1 libxkbcommon-x11-0"

_as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
        echo "setup: need root (or sudo) to run: $*" >&2; return 1; fi
}

ensure_debian_packages() {
    # Installs the named Debian packages that are missing (nothing to do when all are there).
    local missing=()
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if ! command -v apt-get >/dev/null; then
        echo "setup: please install these system packages: ${missing[*]}" >&2; return 1
    fi
    echo "setup: installing system packages: ${missing[*]}"
    _as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    _as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

ensure_python() {
    if ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
        ensure_debian_packages python3 python3-venv python3-pip
    fi
}

ensure_venv() {
    # $1: pip extras to install besides the app ("test" or "").
    local extras="${1:-}" spec="."
    [ -n "$extras" ] && spec=".[$extras]"
    ensure_python
    [ -x .venv/bin/python ] || python3 -m venv .venv
    local stamp=".venv/.installed-$(cat pyproject.toml | sha256sum | cut -c1-16)-${extras:-app}"
    if [ ! -f "$stamp" ]; then
        echo "setup: installing Python packages into .venv (first run takes a minute)"
        .venv/bin/python -m pip install -q --upgrade pip >/dev/null 2>&1 || true
        .venv/bin/python -m pip install -q -e "$spec" 2>&1 | grep -v -E '^WARNING: (Location|You are using)' || true
        .venv/bin/python -c 'import moderator_app, PySide6, sqlalchemy' || { echo "setup: Python packages failed to install" >&2; return 1; }
        touch "$stamp"
    fi
}

pg_bindir() {
    ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1
}

start_throwaway_postgres() {
    # Starts a private PostgreSQL on 127.0.0.1:$1 in a temporary folder; exports MODERATOR_TEST_PG_URL.
    local port="$1" bindir
    [ -n "$(pg_bindir)" ] && [ -x "$(pg_bindir)/initdb" ] || ensure_debian_packages postgresql
    bindir="$(pg_bindir)"
    PG_TMP="$(mktemp -d /tmp/moderator-pg.XXXXXX)"
    local run=()
    if [ "$(id -u)" = 0 ]; then chown postgres "$PG_TMP"; run=(runuser -u postgres --); fi
    "${run[@]}" "$bindir/initdb" -D "$PG_TMP/data" -U postgres -A trust -E UTF8 --no-locale --no-sync >"$PG_TMP/initdb.log" 2>&1 \
        || { cat "$PG_TMP/initdb.log" >&2; return 1; }
    "${run[@]}" "$bindir/pg_ctl" -D "$PG_TMP/data" -l "$PG_TMP/log" -w \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $PG_TMP -c fsync=off -c full_page_writes=off" start >/dev/null \
        || { cat "$PG_TMP/log" >&2; return 1; }
    "${run[@]}" "$bindir/createdb" -h 127.0.0.1 -p "$port" -U postgres moderator_test
    export MODERATOR_TEST_PG_URL="postgresql+psycopg://postgres@127.0.0.1:$port/moderator_test"
    PG_RUN=("${run[@]}")
    PG_BINDIR="$bindir"
}

stop_throwaway_postgres() {
    [ -n "${PG_TMP:-}" ] || return 0
    "${PG_RUN[@]}" "$PG_BINDIR/pg_ctl" -D "$PG_TMP/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$PG_TMP"
}
