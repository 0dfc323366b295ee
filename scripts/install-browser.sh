#!/usr/bin/env bash
# Installs the browser the dashboard's test drives: Chromium from the distribution (Debian's `chromium`), which
# playwright-core is pointed at (it cannot download its own browser here). Idempotent: nothing happens when
# `chromium` is already on PATH. Needs root (or sudo) for apt-get.
#   HEARTH_CHROMIUM=/path/to/chromium   the tests use this browser instead of the one on PATH
set -euo pipefail
. "$(dirname "$0")/lib.sh"

apt_install chromium chromium "set HEARTH_CHROMIUM to a Chromium binary"
