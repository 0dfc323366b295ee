#!/usr/bin/env bash
# The README's test command: installs what the tests need (the pinned natives, idempotently), then runs every
# test with `mvn verify`. Exits non-zero on any failure.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

use_jdk
"$HEARTH_ROOT/scripts/install-natives.sh" --no-cuda
mvn_cmd verify "$@"
info "all tests passed"
