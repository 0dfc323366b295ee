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
  testkit_cp="$(ls "$HEARTH_ROOT"/java/hearth-testkit/target/hearth-testkit-*.jar | grep -v -e "-sources.jar$" -e "-javadoc.jar$" | head -1)"
  testkit_cp="$testkit_cp:$(ls "$HEARTH_ROOT"/java/hearth-api/target/hearth-api-*.jar | grep -v -e "-sources.jar$" -e "-javadoc.jar$" | head -1)"
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

info "smoke-testing the server: bin/hearth serve on a free loopback port, one OpenAI-format request"
command -v curl >/dev/null || die "curl is needed for the server smoke test; install it (apt-get install curl)"
serve_log="$(mktemp)"
"$HEARTH_ROOT/bin/hearth" serve --port 0 >"$serve_log" 2>&1 &
serve_pid=$!
url=""
for _ in $(seq 1 240); do
  url="$(sed -n 's/^hearth: serving \(http[^ ]*\).*/\1/p' "$serve_log" | head -1)"
  [ -n "$url" ] && break
  kill -0 "$serve_pid" 2>/dev/null || break
  sleep 0.5
done
if [ -z "$url" ]; then
  kill -TERM "$serve_pid" 2>/dev/null || true
  cat "$serve_log" >&2
  die "bin/hearth serve did not start (its output is above)"
fi
reply="$(curl -sS --max-time 300 "$url/chat/completions" -H 'content-type: application/json' \
  -d "{\"model\":\"$(basename "$smoke" .gguf)\",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello.\"}],\"max_tokens\":8,\"temperature\":0}" \
  || true)"
kill -TERM "$serve_pid" 2>/dev/null || true
wait "$serve_pid" 2>/dev/null || true
if ! printf '%s' "$reply" | grep -q '"chat.completion"'; then
  cat "$serve_log" >&2
  die "the server did not answer the smoke request with a chat completion: $reply"
fi
rm -f "$serve_log"
info "server smoke test passed: POST $url/chat/completions answered"

cat >&2 <<DONE

Hearth is set up.
  llama.cpp natives ($LLAMA_CPP_RELEASE): $LLAMA_DIR/cpu$( [ -d "$LLAMA_DIR/cuda" ] && echo " and $LLAMA_DIR/cuda")
  llama.cpp headers:             $LLAMA_DIR/src
  native/ build (probe, bench):  $LLAMA_DIR/native-build
  demo model (random weights):   $demo
  models (bin/hearth models list): $models
  CLI:                           $HEARTH_ROOT/bin/hearth --help
Try: bin/hearth chat --model /path/to/a/real-model.gguf
Serve it (OpenAI, Anthropic and Ollama clients): bin/hearth serve    # http://127.0.0.1:8089/v1
DONE
