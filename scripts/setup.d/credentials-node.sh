#!/usr/bin/env bash
# Installs the Node verifier of the credentials app (src/laeringsarena/credentials/verifier):
# Digital Bazaar's reference libraries, used by the independent-proof test. Idempotent: runs
# `npm ci` only when node_modules is missing or package-lock.json changed since the last install.
set -euo pipefail
DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/src/laeringsarena/credentials/verifier"
if ! command -v npm >/dev/null 2>&1; then
    echo "credentials-node: npm not found – the credential verifier proof test will fail under CI=true" >&2
    exit 0
fi
STAMP="$DIR/node_modules/.package-lock.sha256"
WANT="$(sha256sum "$DIR/package-lock.json" | cut -d' ' -f1)"
if [[ -d $DIR/node_modules && -f $STAMP && "$(cat "$STAMP")" == "$WANT" ]]; then
    echo "credentials-node: node_modules up to date"
    exit 0
fi
echo "credentials-node: npm ci in $DIR"
(cd "$DIR" && npm ci --no-audit --no-fund --loglevel=error)
echo "$WANT" >"$STAMP"
