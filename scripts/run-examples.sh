#!/usr/bin/env bash
# Builds and runs every example under examples/ against the Hearth artifacts just built: each is a standalone Maven
# project (it imports dev.hearth:hearth-bom, not the reactor), built offline from the local repository and run with a
# synthetic model (random weights: the text is meaningless, the run must simply succeed). Exits non-zero on the first
# example that fails to build or run.
#   scripts/run-examples.sh              installs the reactor first (mvn install -DskipTests), then runs the examples
#   scripts/run-examples.sh --installed  the reactor is installed already (scripts/test.sh ran mvn install)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

use_jdk
"$HEARTH_ROOT/scripts/install-natives.sh" --no-cuda
if [ "${1:-}" != --installed ]; then
  info "installing the Java modules for the examples"
  mvn_cmd install -DskipTests -Dmaven.javadoc.skip=true
fi
export HEARTH_NATIVES="${HEARTH_NATIVES:-$LLAMA_DIR/cpu}"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# the demo model as scripts/setup-local-llm.sh writes it: the testkit's writer (the product ships no test fixtures)
testkit_cp="$(ls "$HEARTH_ROOT"/java/hearth-testkit/target/hearth-testkit-*.jar | grep -v -e "-sources.jar$" -e "-javadoc.jar$" | head -1)"
api_cp="$(ls "$HEARTH_ROOT"/java/hearth-api/target/hearth-api-*.jar | grep -v -e "-sources.jar$" -e "-javadoc.jar$" | head -1)"
model="$work/hearth-example-tiny.gguf"
"$JAVA_HOME/bin/java" -cp "$testkit_cp:$api_cp" dev.hearth.testkit.WriteSyntheticModel --preset tiny --output "$model"

# the synthetic model's own template has no tool-call format; the tool example is given Qwen 2.5's, which the pinned
# llama.cpp source ships
template="$LLAMA_DIR/src/models/templates/Qwen-Qwen2.5-7B-Instruct.jinja"
[ -f "$template" ] || die "$template is missing; run scripts/install-natives.sh"

ran=0
for pom in "$HEARTH_ROOT"/examples/*/pom.xml; do
  dir="$(dirname "$pom")"
  name="$(basename "$dir")"
  main="$(grep -rl --include='*.java' 'public static void main' "$dir/src/main/java" | head -1)"
  [ -n "$main" ] || die "examples/$name has no main class"
  class="$(sed -n 's/^package \(.*\);/\1/p' "$main" | head -1).$(basename "$main" .java)"
  info "examples/$name: building"
  # online: a fresh machine may not hold an example's own plugins yet (the Hearth artifacts come from the local repository)
  mvn -B -q -Dstyle.color=never -f "$pom" package -DskipTests || die "examples/$name did not build"
  info "examples/$name: running $class"
  # its own run directory, model cache and ledger: nothing of the user's is read or written
  if ! (cd "$dir" && env -u LLM_STRATEGY -u HEARTH_CONFIG HEARTH_EXAMPLE_MODEL="$model" \
      HEARTH_EXAMPLE_TEMPLATE="$template" HEARTH_THREADS=1 \
      HEARTH_RUN_DIR="$work/$name/run" MODEL_CACHE_DIR="$work/$name/models" HEARTH_LEDGER_PATH="$work/$name/ledger.db" \
      "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -XX:ActiveProcessorCount=1 \
      -cp "target/classes:$(cat target/classpath.txt)" "$class" >"$work/$name.log" 2>&1); then
    cat "$work/$name.log" >&2
    die "examples/$name exited non-zero"
  fi
  ran=$((ran + 1))
done
[ "$ran" -gt 0 ] || die "no examples found under examples/"
info "all $ran examples built and ran"
