#!/usr/bin/env bash
# Runs one benchmark suite and prints its table last. Not part of the tests.
# Usage: scripts/bench.sh llama [--model PATH] [--threads 2] [--prefill 512] [--decode 128] [--runs 5]
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[ $# -ge 1 ] || die "usage: scripts/bench.sh SUITE [options]; suites: llama"
use_jdk
"$HEARTH_ROOT/scripts/install-natives.sh" >&2
mvn_cmd install -DskipTests >&2
bench="$HEARTH_ROOT/java/hearth-bench/target"
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$(ls "$bench"/hearth-bench-*.jar):$bench/lib/*" \
  dev.hearth.bench.BenchMain "$@"
