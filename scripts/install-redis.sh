#!/usr/bin/env bash
# Installs Redis, which the multi-instance tests share rate limits and the response cache through: the
# distribution's `redis-server` package. The tests start their own server on a free loopback port and stop it; the
# package's own service is not needed (and is not started here). Idempotent: nothing happens when `redis-server` is
# already on PATH. Needs root (or sudo) for apt-get.
#   HEARTH_REDIS_SERVER=/path/to/redis-server   the tests use this binary instead of the one on PATH
set -euo pipefail
. "$(dirname "$0")/lib.sh"

if command -v redis-server >/dev/null; then
  info "redis-server already installed ($(command -v redis-server))"
  exit 0
fi
command -v apt-get >/dev/null || die "redis-server is not installed and apt-get is not here; install Redis with your" \
  "package manager, or set HEARTH_REDIS_SERVER to a redis-server binary"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
info "installing redis-server with apt-get"
$sudo apt-get update -q >&2
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends redis-server >&2
command -v redis-server >/dev/null || die "apt-get installed redis-server but it is not on PATH"
