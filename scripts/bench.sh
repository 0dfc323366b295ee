#!/usr/bin/env bash
# Runs one benchmark suite and prints its table last. Not part of the tests.
# Usage: scripts/bench.sh llama|peers|engine|kv|grammar|speculative [--model PATH] [--threads 2] [--prefill 512] [--decode 128] [--runs 5]
#        scripts/bench.sh remote [REQUESTS]
#        scripts/bench.sh router [REQUESTS]
#        scripts/bench.sh onnx [SENTENCES]
#        scripts/bench.sh ledger [CALLS]
#        scripts/bench.sh server [REQUESTS] [LOCAL_RUNS]
#   llama: Hearth vs native/llama_bench_c.c on the same libllama
#   peers: Hearth vs node-llama-cpp@3.22.1 (npm) and java-llama.cpp de.kherud:llama:4.2.0 (Maven Central)
#   engine: 1..8 concurrent streams vs the same requests one by one and vs llama.cpp's batched decoding (C), each
#           stream's p95 inter-token latency, the worst engine/best-of ratio (target >= 0.97); then second-turn TTFT
#           with/without prefix reuse. --decode 64 for a quicker run; -Dhearth.bench.maxStreams=N via JAVA_TOOL_OPTIONS
#   kv: F16 vs Q8_0 KV cache in the engine: 4,096-token contexts per GiB, decode tok/s at depth 4,096
#   grammar: greedy decode (64 tokens, 2 threads) with a small JSON object schema vs without one (target ratio >= 0.85),
#            vs llama.cpp's common sampler (target >= 1.0), and vs the old ways of filtering the whole vocabulary
#            through the grammar (after a refused pick; before every pick); with how often a pick is refused and
#            the sampling thread's CPU time per phase
#   speculative: single-stream greedy decode (2 threads) of a code edit whose answer repeats most of its prompt, on the
#            0.5B shape with successor weights: Hearth with prompt lookup vs without vs native/llama_bench_c.c (target:
#            speculative/C decode >= 1.5x); drafted and accepted tokens per request
#   remote: hearth-remote vs a bare JDK HttpClient against the loopback fakes, 1 and 64 streams (p50/p99)
#   router: decision time over 10,000 varied requests; routed vs direct calls to a loopback fake (p50/p99)
#   onnx: MiniLM embeddings/s vs LangChain4j's AllMiniLmL6V2QuantizedEmbeddingModel, batches of 1, 16, 64
#   ledger: reserve commit p50/p99 on SQLite vs a bare single-row INSERT commit (floor), settled calls/s batched vs
#           one by one (and the same on PostgreSQL when HEARTH_DATABASE_URL is set)
#   server: streamed chat completions through hearth serve (routed to a loopback fake) vs to the fake directly, same
#           bare client, 1 and 100 concurrent clients (p50/p99 TTFT and total, errors, resident memory after warm-up
#           and after the run); local decode tok/s through the server vs the Java front door on the 0.5B-shaped model
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[ $# -ge 1 ] || die "usage: scripts/bench.sh SUITE [options]; suites: llama"
use_jdk
"$HEARTH_ROOT/scripts/install-natives.sh" >&2
mvn_cmd install -DskipTests -Dmaven.javadoc.skip=true >&2
if [ "$1" = peers ]; then
  # the node-llama-cpp peer, pinned, with the same prebuilt natives package (no install scripts, no other GPU builds)
  node_dir="$HEARTH_HOME/bench/node-llama-cpp"
  mkdir -p "$node_dir"
  cp "$HEARTH_ROOT/java/hearth-bench/src/main/node/node_peer.mjs" "$node_dir/"
  if [ ! -d "$node_dir/node_modules/node-llama-cpp" ]; then
    info "installing node-llama-cpp@$NODE_LLAMA_CPP_VERSION into $node_dir"
    (cd "$node_dir" && { [ -f package.json ] || echo '{"name":"hearth-bench-peer","private":true,"type":"module"}' > package.json; } &&
      npm install --silent --no-audit --no-fund --ignore-scripts --omit=optional --loglevel=error \
        "node-llama-cpp@$NODE_LLAMA_CPP_VERSION" "@node-llama-cpp/linux-x64@$NODE_LLAMA_CPP_VERSION" >&2)
  fi
fi
bench="$HEARTH_ROOT/java/hearth-bench/target"
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$(ls "$bench"/hearth-bench-*.jar | grep -v -e "-sources.jar$" -e "-javadoc.jar$" | head -1):$bench/lib/*" \
  dev.hearth.bench.BenchMain "$@"
