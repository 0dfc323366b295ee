#!/usr/bin/env bash
# Installs the official SDKs the server's tests speak with, at pinned versions, into $HEARTH_HOME/npm (idempotent:
# nothing is fetched when the pinned versions are already there). Nothing from it is committed.
#   HEARTH_NPM_CLIENTS=$HEARTH_HOME/npm   where they go (the tests read the same variable, with the same default)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

OPENAI_NPM_VERSION=7.55.0

command -v npm >/dev/null || die "npm is not installed; install Node.js 20 or newer (apt-get install nodejs npm)"
dir="${HEARTH_NPM_CLIENTS:-$HEARTH_HOME/npm}"
installed() { # prints the installed version of package $1, or nothing
  sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' "$dir/node_modules/$1/package.json" 2>/dev/null | head -1
}
if [ "$(installed openai)" = "$OPENAI_NPM_VERSION" ]; then
  info "npm clients already in $dir (openai $OPENAI_NPM_VERSION)"
  exit 0
fi
mkdir -p "$dir"
[ -f "$dir/package.json" ] || echo '{"name":"hearth-npm-clients","private":true}' > "$dir/package.json"
info "installing openai@$OPENAI_NPM_VERSION into $dir"
npm install --prefix "$dir" --no-audit --no-fund --save-exact "openai@$OPENAI_NPM_VERSION" >&2
[ "$(installed openai)" = "$OPENAI_NPM_VERSION" ] || die "openai@$OPENAI_NPM_VERSION did not install into $dir"
