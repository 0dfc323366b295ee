#!/usr/bin/env bash
# Installs the browser the dashboard's test drives: Chromium from the distribution (Debian's `chromium`), which
# playwright-core is pointed at (it cannot download its own browser here). Idempotent: nothing happens when
# `chromium` is already on PATH. Needs root (or sudo) for apt-get.
#   HEARTH_CHROMIUM=/path/to/chromium   the tests use this browser instead of the one on PATH
set -euo pipefail
. "$(dirname "$0")/lib.sh"

if command -v chromium >/dev/null; then
  info "chromium already installed ($(command -v chromium))"
  exit 0
fi
command -v apt-get >/dev/null || die "chromium is not installed and apt-get is not here; install Chromium with your" \
  "package manager, or set HEARTH_CHROMIUM to a Chromium binary"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
info "installing chromium with apt-get"
$sudo apt-get update -q >&2
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends chromium >&2
command -v chromium >/dev/null || die "apt-get installed chromium but it is not on PATH"
