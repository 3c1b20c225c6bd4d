#!/usr/bin/env bash
# Run the ADL LRS conformance test suite against a fresh local Læringsarena LRS.
#
#   scripts/lrs-conformance.sh [1.0.3|2.0.0|all] [extra console_runner options, e.g. -g "XAPI-00123"]
#
# The suite is taken from $LRS_CONFORMANCE_DIR (default: var/lrs-conformance-test-suite, cloned
# from GitHub and `npm install`ed when missing). A temporary SQLite database (or
# $LAERINGSARENA_DATABASE_URL if set) gets one municipality and one client; the server runs on a
# free port with gunicorn and is stopped at the end. Logs: $OUT_DIR (default var/lrs-conformance-results).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
VERSIONS=${1:-all}
shift || true
case "$VERSIONS" in
  all) VERSIONS="1.0.3 2.0.0" ;;
  1.0.3|2.0.0) ;;
  *) echo "usage: $0 [1.0.3|2.0.0|all] [console_runner options]" >&2; exit 2 ;;
esac
PY=${PYTHON:-$ROOT/.venv/bin/python}
SUITE=${LRS_CONFORMANCE_DIR:-$ROOT/var/lrs-conformance-test-suite}
OUT_DIR=${OUT_DIR:-$ROOT/var/lrs-conformance-results}
if [ ! -f "$SUITE/bin/console_runner.js" ]; then
  echo "Cloning the conformance suite into $SUITE" >&2
  git clone --depth 1 https://github.com/adlnet/lrs-conformance-test-suite "$SUITE"
fi
if [ ! -d "$SUITE/node_modules" ]; then
  (cd "$SUITE" && npm install --no-audit --no-fund >/dev/null)
fi
mkdir -p "$OUT_DIR"
WORK=""
SERVER_PID=""
stop_server() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  SERVER_PID=""
  if [ -n "$WORK" ]; then rm -rf "$WORK"; fi
  WORK=""
}
trap stop_server EXIT
export DJANGO_SETTINGS_MODULE=laeringsarena.settings
# Run this checkout's code, whatever the virtualenv has installed.
export PYTHONPATH="$ROOT/src${PYTHONPATH:+:$PYTHONPATH}"
export LAERINGSARENA_LOG_LEVEL=WARNING

# A fresh database, one client and a server on a free port, answering $1 by default.
start_server() {
  WORK=$(mktemp -d)
  export LAERINGSARENA_VAR_DIR="$WORK/var"
  mkdir -p "$LAERINGSARENA_VAR_DIR"
  export LAERINGSARENA_SECRET_KEY="conformance-$RANDOM-$RANDOM-$RANDOM"
  export LAERINGSARENA_LRS_DEFAULT_VERSION="$1"
  PORT=$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  export LAERINGSARENA_PUBLIC_URL="http://127.0.0.1:$PORT"
  "$PY" -m django migrate --noinput >/dev/null
  read -r KEY SECRET < <("$PY" scripts/lrs-conformance/setup_client.py)
  "$ROOT/.venv/bin/gunicorn" laeringsarena.wsgi:application --bind "127.0.0.1:$PORT" --workers "${WORKERS:-4}" \
    --timeout 120 --log-level warning >"$OUT_DIR/server-$1.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 100); do
    curl -fsS "http://127.0.0.1:$PORT/xapi/about" >/dev/null 2>&1 && break
    sleep 0.1
  done
  # Warm every worker up (the first request of a worker loads all URL modules), so that the
  # suite's 15-second request timeout measures the LRS, not Python imports.
  for _ in 1 2 3; do
    WARM=()
    for _ in $(seq 1 $((${WORKERS:-4} * 2))); do
      curl -fsS -o /dev/null "http://127.0.0.1:$PORT/xapi/about" & WARM+=($!)
    done
    wait "${WARM[@]}"
  done
  ENDPOINT="http://127.0.0.1:$PORT/xapi"
}

STATUS=0
for VERSION in $VERSIONS; do
  start_server "$VERSION"
  LOG="$OUT_DIR/conformance-$VERSION.log"
  echo "== xAPI $VERSION against $ENDPOINT"
  (cd "$SUITE" && node bin/console_runner.js -e "$ENDPOINT" -a -u "$KEY" -p "$SECRET" -x "$VERSION" -z "$@") >"$LOG" 2>&1 || true
  stop_server
  # The runner prints its summary as JSON lines; the last one is the final count.
  "$PY" - "$LOG" "$VERSION" <<'PYEOF' || STATUS=1
import json, sys
log, version = sys.argv[1], sys.argv[2]
text = open(log, encoding="utf-8", errors="replace").read()
lines = [l for l in text.splitlines() if l.startswith('{"total"')]
if not lines:
    print(f"xAPI {version}: no summary (see {log})"); sys.exit(1)
s = json.loads(lines[-1])
print(f"xAPI {version}: {s.get('passed')} passed, {s.get('failed')} failed of {s.get('total')} (log: {log})")
for line in text.splitlines():
    if line.startswith("Full run log written to"):
        print("  details of failures:", line.split(" to ", 1)[1])
sys.exit(0 if s.get("failed") == 0 and s.get("passed") else 1)
PYEOF
done
exit $STATUS
