#!/usr/bin/env bash
# Sets Hearth up on this machine and runs a smoke generation. Idempotent: a second run skips what is done.
#   1. the pinned llama.cpp natives (npm registry, integrity-checked) and headers, into $HEARTH_HOME
#   2. native/ (ABI probe, C benchmark peer) built with CMake against them
#   3. the Java modules
#   4. the default model: the synthetic demo model hearth-demo-tiny (random weights)
#   5. a smoke generation
# Usage: scripts/setup-local-llm.sh [--cuda|--no-cuda]
set -euo pipefail
. "$(dirname "$0")/lib.sh"

use_jdk
info "JDK: $JAVA_HOME"
"$HEARTH_ROOT/scripts/install-natives.sh" "$@"

info "building the Java modules"
mvn_cmd install -DskipTests

models="$HEARTH_HOME/models"
demo="$models/hearth-demo-tiny.gguf"
if [ ! -s "$demo" ]; then
  info "writing the demo model $demo"
  mkdir -p "$models"
  "$HEARTH_ROOT/bin/hearth" synthetic --preset tiny --output "$demo"
fi

info "smoke generation with the demo model"
"$HEARTH_ROOT/bin/hearth" generate --model "$demo" --max-tokens 24 --temperature 0 "Once upon a time"

cat >&2 <<DONE

Hearth is set up.
  llama.cpp natives ($LLAMA_CPP_RELEASE): $LLAMA_DIR/cpu$( [ -d "$LLAMA_DIR/cuda" ] && echo " and $LLAMA_DIR/cuda")
  llama.cpp headers:             $LLAMA_DIR/src
  native/ build (probe, bench):  $LLAMA_DIR/native-build
  demo model (random weights):   $demo
  CLI:                           $HEARTH_ROOT/bin/hearth --help
Try: bin/hearth chat --model /path/to/a/real-model.gguf
DONE
