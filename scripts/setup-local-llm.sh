#!/usr/bin/env bash
# Sets Hearth up on this machine and runs a smoke generation. Idempotent: a second run skips what is done.
#   1. the pinned llama.cpp natives (npm registry, integrity-checked) and headers, into $HEARTH_HOME
#   2. native/ (ABI probe, C benchmark peer) built with CMake against them
#   3. the Java modules
#   4. the catalog's default model (models/catalog.toml), pulled into $HEARTH_HOME/models; offline (or with
#      HEARTH_SKIP_PULL=1), the synthetic demo model hearth-demo-tiny (random weights) instead, said so
#   5. a smoke generation with whichever model is there
# Usage: scripts/setup-local-llm.sh [--cuda|--no-cuda]
set -euo pipefail
. "$(dirname "$0")/lib.sh"

use_jdk
info "JDK: $JAVA_HOME"
"$HEARTH_ROOT/scripts/install-natives.sh" "$@"

info "building the Java modules"
mvn_cmd install -DskipTests

models="${MODEL_CACHE_DIR:-$HEARTH_HOME/models}"  # the model cache, as Hearth reads it
demo="$models/hearth-demo-tiny.gguf"
if [ ! -s "$demo" ]; then
  info "writing the demo model $demo"
  mkdir -p "$models"
  # written by the testkit (the product CLI ships no test fixtures); --force replaces an empty file left by an earlier
  # try (only a regular file: anything else there is refused)
  testkit_cp="$(ls "$HEARTH_ROOT"/java/hearth-testkit/target/hearth-testkit-*.jar | head -1)"
  testkit_cp="$testkit_cp:$(ls "$HEARTH_ROOT"/java/hearth-api/target/hearth-api-*.jar | head -1)"
  "$JAVA_HOME/bin/java" -cp "$testkit_cp" \
    dev.hearth.testkit.WriteSyntheticModel --preset tiny --output "$demo" --force
fi

default_model="$(sed -n 's/^default = "\(.*\)"/\1/p' "$HEARTH_ROOT/models/catalog.toml")"
smoke="$demo"
if [ -s "$models/$default_model.gguf" ]; then
  smoke="$models/$default_model.gguf"
elif [ "${HEARTH_SKIP_PULL:-0}" != 1 ]; then
  info "pulling the catalog's default model $default_model"
  if "$HEARTH_ROOT/bin/hearth" models pull "$default_model"; then
    smoke="$models/$default_model.gguf"
  else
    info "could not pull $default_model (offline?): using the synthetic demo model, whose output is meaningless;"
    info "pull it later with: bin/hearth models pull $default_model"
  fi
fi

info "smoke generation with $(basename "$smoke")"
"$HEARTH_ROOT/bin/hearth" generate --model "$smoke" --max-tokens 24 --temperature 0 "Once upon a time"

cat >&2 <<DONE

Hearth is set up.
  llama.cpp natives ($LLAMA_CPP_RELEASE): $LLAMA_DIR/cpu$( [ -d "$LLAMA_DIR/cuda" ] && echo " and $LLAMA_DIR/cuda")
  llama.cpp headers:             $LLAMA_DIR/src
  native/ build (probe, bench):  $LLAMA_DIR/native-build
  demo model (random weights):   $demo
  models (bin/hearth models list): $models
  CLI:                           $HEARTH_ROOT/bin/hearth --help
Try: bin/hearth chat --model /path/to/a/real-model.gguf
DONE
