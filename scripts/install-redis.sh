#!/usr/bin/env bash
# Installs Redis, which the multi-instance tests share rate limits and the response cache through: the
# distribution's `redis-server` package. The tests start their own server on a free loopback port and stop it; the
# package's own service is not needed (and is not started here). Idempotent: nothing happens when `redis-server` is
# already on PATH. Needs root (or sudo) for apt-get.
#   HEARTH_REDIS_SERVER=/path/to/redis-server   the tests use this binary instead of the one on PATH
set -euo pipefail
. "$(dirname "$0")/lib.sh"

apt_install redis-server redis-server "set HEARTH_REDIS_SERVER to a redis-server binary"
