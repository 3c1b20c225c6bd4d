#!/usr/bin/env bash
# `make test`: lint, types, then the test suite on SQLite (with the browser tests) and again on
# PostgreSQL. Every step runs even when an earlier one failed; a summary comes last and the exit
# status is non-zero when any step that ran failed.
#
# Environment:
#   CI=true                           nothing may be skipped: a missing PostgreSQL or chromium, and
#                                     any skipped test (root conftest.py), is a failure
#   LAERINGSARENA_TEST_POSTGRES_URL   postgres://user:password@host:port/db of a server to use (the
#                                     role needs CREATEDB); otherwise a throwaway cluster is started
#                                     from Debian's PostgreSQL binaries, if installed
#   LAERINGSARENA_TEST_NO_POSTGRES=1  act as if PostgreSQL were not installed
#   LAERINGSARENA_TEST_NO_BROWSER=1   act as if chromium were not installed
#   LAERINGSARENA_DATABASE_URL        database for the SQLite run (must be sqlite://…; default: a
#                                     file in LAERINGSARENA_VAR_DIR; the tests get their own)
# Arguments are passed on to both pytest runs (e.g. scripts/test.sh -x -k login).
set -uo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 1
ROOT=$PWD
BIN=$ROOT/.venv/bin
CHROMIUM=/usr/bin/chromium

export LAERINGSARENA_VAR_DIR=${LAERINGSARENA_VAR_DIR:-$ROOT/var}
export DJANGO_SETTINGS_MODULE=${DJANGO_SETTINGS_MODULE:-laeringsarena.settings_test}
mkdir -p "$LAERINGSARENA_VAR_DIR"

STRICT=0
ci=${CI:-}
[[ ${ci,,} == true ]] && STRICT=1

SUMMARY=()
FAILED=0
STARTED=$SECONDS

record() { # STATUS NAME [DETAIL]
    SUMMARY+=("$(printf '%-8s %s%s' "$1" "$2" "${3:+ – $3}")")
    [[ $1 == FAILED ]] && FAILED=1
    return 0
}

RESULT_FILE=$(mktemp "${TMPDIR:-/tmp}/laeringsarena-test-result.XXXXXX")
export LAERINGSARENA_TEST_RESULT_FILE=$RESULT_FILE # root conftest.py writes pytest's counts here

step() { # NAME COMMAND...
    local name=$1 start=$SECONDS rc=0 counts
    shift
    printf '\n==> %s\n' "$name"
    : >"$RESULT_FILE"
    "$@" || rc=$?
    counts=$(head -n 1 "$RESULT_FILE")
    if ((rc == 0)); then
        record PASSED "$name" "${counts:+$counts, }$((SECONDS - start)) s"
    elif ((rc == 5)); then
        record FAILED "$name" "no tests were collected (pytest exit code 5)"
    else
        record FAILED "$name" "${counts:+$counts, }exit code $rc after $((SECONDS - start)) s"
    fi
}

unavailable() { # NAME HOW-TO-GET-IT
    if ((STRICT)); then
        printf '\nFAILED: %s — %s (CI=true: nothing may be skipped)\n' "$1" "$2" >&2
        record FAILED "$1" "$2 (CI=true: nothing may be skipped)"
    else
        printf '\nSKIPPED: %s — %s\n' "$1" "$2"
        record SKIPPED "$1" "$2"
    fi
}

# --- Throwaway PostgreSQL cluster ---------------------------------------------------------

PG_TMP=""
PG_BINDIR=""

as_postgres() { # run a PostgreSQL binary; the server refuses to run as root
    if ((EUID != 0)); then
        (cd "$PG_TMP" && "$@")
    elif command -v runuser >/dev/null 2>&1; then
        (cd "$PG_TMP" && runuser -u postgres -- "$@")
    else
        (cd "$PG_TMP" && su -s /bin/bash postgres -c "$(printf '%q ' "$@")")
    fi
}

stop_postgres() {
    if [[ -n $PG_TMP && -d $PG_TMP ]]; then
        if [[ -f $PG_TMP/data/postmaster.pid ]]; then
            as_postgres "$PG_BINDIR/pg_ctl" -D "$PG_TMP/data" -m immediate -w stop >/dev/null 2>&1 || true
        fi
        rm -rf "$PG_TMP"
    fi
    PG_TMP=""
}
cleanup() {
    stop_postgres
    rm -f "$RESULT_FILE"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

find_initdb() {
    local candidate
    candidate=$(find /usr/lib/postgresql -maxdepth 3 -path '*/bin/initdb' 2>/dev/null | sort -V | tail -n 1)
    if [[ -z $candidate ]]; then
        candidate=$(command -v initdb 2>/dev/null || true)
    fi
    [[ -n $candidate && -x $candidate && -x $(dirname "$candidate")/pg_ctl ]] && echo "$candidate"
}

free_port() {
    "$BIN/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Starts a cluster on 127.0.0.1 in a temporary directory and sets PG_URL. A role with CREATEDB
# owns the database, so pytest-django can create and drop the test database. Not in a subshell:
# PG_TMP must reach the EXIT trap.
PG_URL=""
start_postgres() { # INITDB
    PG_BINDIR=$(dirname "$1")
    if ((EUID == 0)) && ! id postgres >/dev/null 2>&1; then
        echo "running as root, but there is no 'postgres' user to run PostgreSQL as" >&2
        return 1
    fi
    # Root: under /tmp, so that the postgres user can reach it.
    PG_TMP=$(mktemp -d "$( ((EUID == 0)) && echo /tmp || echo "${TMPDIR:-/tmp}")/laeringsarena-pg.XXXXXX") || return 1
    ((EUID == 0)) && chown postgres: "$PG_TMP"
    local password port attempt
    password=$("$BIN/python" -c 'import secrets; print(secrets.token_hex(16))')
    if ! as_postgres "$PG_BINDIR/initdb" -D "$PG_TMP/data" -U postgres -E UTF8 --locale=C.UTF-8 \
        --auth-local=trust --auth-host=scram-sha-256 >"$PG_TMP/initdb.log" 2>&1; then
        echo "initdb failed:" >&2
        cat "$PG_TMP/initdb.log" >&2
        return 1
    fi
    for attempt in 1 2 3; do
        port=$(free_port) || return 1
        if as_postgres "$PG_BINDIR/pg_ctl" -D "$PG_TMP/data" -l "$PG_TMP/server.log" -w -t 60 -o \
            "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$PG_TMP -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
            start >/dev/null; then
            break
        fi
        if ((attempt == 3)); then
            echo "PostgreSQL did not start:" >&2
            tail -n 30 "$PG_TMP/server.log" >&2
            return 1
        fi
    done
    if ! as_postgres "$PG_BINDIR/psql" -X -q -v ON_ERROR_STOP=1 -h "$PG_TMP" -p "$port" -U postgres -d postgres \
        -c "CREATE ROLE laeringsarena LOGIN CREATEDB PASSWORD '$password'" \
        -c "CREATE DATABASE laeringsarena OWNER laeringsarena"; then
        echo "could not create the role and database" >&2
        return 1
    fi
    PG_URL="postgres://laeringsarena:$password@127.0.0.1:$port/laeringsarena"
}

# --- The steps ----------------------------------------------------------------------------

# Apps that need something besides Python (e.g. Node packages for the independent credential
# verifier) install it with a script in scripts/setup.d/; each must be idempotent and quick
# when nothing changed.
for setup in "$ROOT"/scripts/setup.d/*.sh; do
    [[ -e $setup ]] || continue
    step "setup: $(basename "$setup" .sh)" bash "$setup"
done

step "ruff check" "$BIN/ruff" check src
step "ruff format --check" "$BIN/ruff" format --check src
step "mypy" "$BIN/mypy"

# Browser tests need Debian's chromium; they run once, within the SQLite run.
browser=0
if [[ -x $CHROMIUM && ${LAERINGSARENA_TEST_NO_BROWSER:-} != 1 ]]; then
    browser=1
else
    export LAERINGSARENA_TEST_NO_BROWSER=1
    unavailable "browser tests" "install Debian package chromium"
fi

sqlite_url=${LAERINGSARENA_DATABASE_URL:-}
if [[ -n $sqlite_url && $sqlite_url != sqlite:* ]]; then
    echo "note: LAERINGSARENA_DATABASE_URL is not SQLite; the SQLite run uses a file in $LAERINGSARENA_VAR_DIR" \
        "(set LAERINGSARENA_TEST_POSTGRES_URL to choose the PostgreSQL server)"
    sqlite_url=""
fi
sqlite_url=${sqlite_url:-sqlite:///$LAERINGSARENA_VAR_DIR/laeringsarena.sqlite3}
if ((browser)); then
    step "pytest on SQLite (with browser tests)" \
        env LAERINGSARENA_DATABASE_URL="$sqlite_url" "$BIN/pytest" -m "not postgres" "$@"
else
    step "pytest on SQLite" \
        env LAERINGSARENA_DATABASE_URL="$sqlite_url" "$BIN/pytest" -m "not postgres and not browser" "$@"
fi

pg_name="pytest on PostgreSQL"
if [[ ${LAERINGSARENA_TEST_NO_POSTGRES:-} == 1 ]]; then
    unavailable "$pg_name" "install Debian package postgresql"
elif [[ -n ${LAERINGSARENA_TEST_POSTGRES_URL:-} ]]; then
    PG_URL=$LAERINGSARENA_TEST_POSTGRES_URL
    pg_name="$pg_name (server from LAERINGSARENA_TEST_POSTGRES_URL)"
elif initdb=$(find_initdb); then
    printf '\n==> starting a throwaway PostgreSQL cluster (%s)\n' "$(dirname "$initdb")"
    if start_postgres "$initdb"; then
        pg_name="$pg_name ($("$PG_BINDIR/postgres" --version | sed -E 's/^[^0-9]*([0-9.]+).*/\1/'), throwaway cluster)"
    else
        PG_URL=""
        record FAILED "$pg_name" "could not start a throwaway PostgreSQL cluster (see above)"
    fi
else
    unavailable "$pg_name" "install Debian package postgresql"
fi
if [[ -n $PG_URL ]]; then
    step "$pg_name" env LAERINGSARENA_DATABASE_URL="$PG_URL" "$BIN/pytest" -m "not browser" "$@"
fi
stop_postgres

# --- Summary ------------------------------------------------------------------------------

printf '\n==> Summary (%d s)\n' "$((SECONDS - STARTED))"
printf '%s\n' "${SUMMARY[@]}"
if ((FAILED)); then
    echo "make test: FAILED"
    exit 1
fi
echo "make test: OK"
