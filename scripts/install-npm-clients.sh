#!/usr/bin/env bash
# Installs the official SDKs the server's tests speak with, and playwright-core (the dashboard's browser test), at pinned versions, into $HEARTH_HOME/npm (idempotent:
# nothing is fetched when the pinned versions are already there). Nothing from it is committed.
#   HEARTH_NPM_CLIENTS=$HEARTH_HOME/npm   where they go (the tests read the same variable, with the same default)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

OPENAI_NPM_VERSION=7.55.0
ANTHROPIC_NPM_VERSION=1.10.0
OLLAMA_NPM_VERSION=0.6.4
PLAYWRIGHT_CORE_NPM_VERSION=1.65.1 # drives the distribution's Chromium in the dashboard test; downloads no browser

command -v npm >/dev/null || die "npm is not installed; install Node.js 20 or newer (apt-get install nodejs npm)"
dir="${HEARTH_NPM_CLIENTS:-$HEARTH_HOME/npm}"
installed() { # prints the installed version of package $1, or nothing
  sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' "$dir/node_modules/$1/package.json" 2>/dev/null | head -1
}
pinned=("openai@$OPENAI_NPM_VERSION" "@anthropic-ai/sdk@$ANTHROPIC_NPM_VERSION" "ollama@$OLLAMA_NPM_VERSION" "playwright-core@$PLAYWRIGHT_CORE_NPM_VERSION")
missing=()
for p in "${pinned[@]}"; do
  [ "$(installed "${p%@*}")" = "${p##*@}" ] || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  info "npm clients already in $dir (${pinned[*]})"
  exit 0
fi
mkdir -p "$dir"
[ -f "$dir/package.json" ] || echo '{"name":"hearth-npm-clients","private":true}' > "$dir/package.json"
info "installing ${missing[*]} into $dir"
npm install --prefix "$dir" --no-audit --no-fund --save-exact "${missing[@]}" >&2
for p in "${pinned[@]}"; do
  [ "$(installed "${p%@*}")" = "${p##*@}" ] || die "$p did not install into $dir"
done
