#!/usr/bin/env bash
# The README's test command: installs what the tests need (the pinned natives and npm clients, idempotently), then runs every
# test with `mvn install` against the pinned CPU natives (install: verify, then the artifacts go to the local repository,
# from which scripts/run-examples.sh builds and runs examples/*). Exits non-zero on any failure.
#   HEARTH_CPU_VARIANT=x64 scripts/test.sh   runs them with one ggml CPU variant (haswell, sse42, x64, ...), as a
#                                            machine whose best variant that is would
#   HEARTH_TEST_SEED=7 scripts/test.sh       varies every synthetic model's random weights
set -euo pipefail
. "$(dirname "$0")/lib.sh"

use_jdk
"$HEARTH_ROOT/scripts/install-natives.sh" --no-cuda
"$HEARTH_ROOT/scripts/install-npm-clients.sh" # the official SDKs the server's tests speak with, and playwright-core
"$HEARTH_ROOT/scripts/install-browser.sh" # Chromium, which the dashboard's test drives through playwright-core
"$HEARTH_ROOT/scripts/install-redis.sh" # redis-server, which the multi-instance tests share rate limits through
if [ -n "${HEARTH_CPU_VARIANT:-}" ]; then
  HEARTH_NATIVES="$LLAMA_DIR/variants/$HEARTH_CPU_VARIANT"
else
  HEARTH_NATIVES="$LLAMA_DIR/cpu"
fi
export HEARTH_NATIVES
info "testing against the natives in $HEARTH_NATIVES${HEARTH_TEST_SEED:+, synthetic models varied by HEARTH_TEST_SEED=$HEARTH_TEST_SEED}"
# javadoc jars are left to packaging (mvn package / install without this flag): they add minutes and test nothing
mvn_cmd install -Dmaven.javadoc.skip=true "$@"
"$HEARTH_ROOT/scripts/run-examples.sh" --installed
info "all tests passed"
