#!/usr/bin/env bash
# Runs Hearth's CUDA path end to end on a machine with an NVIDIA GPU, and fails at the first step that does not work.
# Not part of the tests (they run without a GPU); run it by hand, or on CI's GPU machine. It fails at once, saying so,
# where no NVIDIA GPU is present.
# Usage: scripts/gpu-check.sh [--model PATH] [--threads N] [--streams 1,4,16] [--only STEP,...] [--dry-run]
#   steps, in order:
#   natives  the CUDA natives (scripts/install-natives.sh --cuda) and native/ built against them (the shim beside
#            them, the C peers in cuda-native-build/); the CUDA libraries they need must resolve
#   build    Hearth (mvn install -DskipTests), as scripts/bench.sh builds it
#   probe    NVML finds the GPU, the CUDA backend is the one loaded, and a partial offload's memory estimate (half the
#            layers, then all) is within 0.97-1.10 of what llama.cpp allocates on the GPU (bench suite `gpu`)
#   chat     bin/hearth chat on the GPU with a JSON schema, then with a tool the model must call
#   engine   the engine at 1/4/16 streams vs llama.cpp's batched decoding (native/llama_batched_c.c built against
#            the CUDA natives), every layer offloaded (bench suite `engine`)
#   --dry-run prints the steps' commands without running them (and without needing a GPU)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

all_steps="natives build probe chat engine"
model="" threads="" streams="1,4,16" only="" dry=0
while [ $# -gt 0 ]; do
  case "$1" in
    --model) [ $# -ge 2 ] || die "--model needs a GGUF file"; model="$2"; shift 2 ;;
    --threads) [ $# -ge 2 ] && [[ "$2" =~ ^[1-9][0-9]*$ ]] || die "--threads needs a whole number of threads, 1 or more"; threads="$2"; shift 2 ;;
    --streams) [ $# -ge 2 ] && [[ "$2" =~ ^[1-9][0-9]*(,[1-9][0-9]*)*$ ]] || die "--streams needs stream counts separated by commas, e.g. 1,4,16"; streams="$2"; shift 2 ;;
    --only) [ $# -ge 2 ] || die "--only needs steps separated by commas, of: ${all_steps// /, }"; only="${2//,/ }"; shift 2 ;;
    --dry-run) dry=1; shift ;;
    -h|--help) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option $1 (see scripts/gpu-check.sh --help)" ;;
  esac
done
for s in $only; do
  case " $all_steps " in *" $s "*) ;; *) die "unknown step '$s'; the steps are: ${all_steps// /, }" ;; esac
done
steps="${only:-$all_steps}"
threads="${threads:-$(nproc)}"
if [ -n "$model" ] && [ "$dry" = 0 ]; then [ -s "$model" ] || die "--model $model: no such GGUF file"; fi

# run NAME CMD...: runs one step's command (or prints it, with --dry-run)
run() {
  local name="$1"; shift
  if [ "$dry" = 1 ]; then printf '[%s] %s\n' "$name" "$*"; return 0; fi
  info "[$name] $*"
  "$@" || die "step $name failed (exit $?): $*"
}
wants() { case " $steps " in *" $1 "*) return 0 ;; esac; return 1; }

if [ "$dry" = 0 ]; then
  { [ -e /proc/driver/nvidia/version ] && command -v nvidia-smi >/dev/null 2>&1 && nvidia-smi -L 2>/dev/null | grep -q '^GPU '; } ||
    die "no NVIDIA GPU here (no driver in /proc/driver/nvidia, or nvidia-smi lists none): this check runs Hearth's CUDA path and needs one. Use --dry-run to see its steps."
  nvidia-smi -L >&2
  use_jdk
fi
cuda="$LLAMA_DIR/cuda"
bench="$HEARTH_ROOT/java/hearth-bench/target"
bench_java() {
  "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$(ls "$bench"/hearth-bench-*.jar | grep -v -e "-sources.jar$" -e "-javadoc.jar$" | head -1):$bench/lib/*" \
    dev.hearth.bench.BenchMain "$@"
}
model_args=(); [ -n "$model" ] && model_args=(--model "$model")
export HEARTH_NATIVES="$cuda"  # the CUDA natives, never a fallback to the CPU ones

# the CUDA libraries the natives need (cudart, cublas; libcuda comes with the driver), named when one is missing
cuda_libraries_resolve() {
  local missing
  missing="$(ldd "$cuda"/libggml-cuda*.so 2>/dev/null | awk '/not found/ {print $1}' | sort -u | tr '\n' ' ')"
  [ -z "$missing" ] || die "the CUDA natives need $missing- install the CUDA 12 runtime libraries (e.g. apt-get install libcublas12 libcudart12, or NVIDIA's cuda-runtime-12 packages)"
  ls "$cuda"/libggml-cuda*.so >/dev/null 2>&1 || die "no libggml-cuda in $cuda: scripts/install-natives.sh --cuda did not install the CUDA natives"
}

# chat_check: a JSON schema answer, then a forced tool call, through the CLI on the GPU
chat_check() {
  local dir out m="${model:-$HEARTH_HOME/models/bench/synthetic-0.5b-q8_0.gguf}"
  [ -s "$m" ] || die "no model at $m; run the probe step first (it writes the synthetic one) or pass --model"
  dir="$(mktemp -d)"
  echo '{"type":"object","properties":{"ok":{"type":"boolean"}},"required":["ok"],"additionalProperties":false}' > "$dir/schema.json"
  echo '[{"type":"function","function":{"name":"get_weather","description":"weather in a city","parameters":{"type":"object","properties":{"city":{"type":"string","enum":["Paris","Oslo"]}},"required":["city"]}}}]' > "$dir/tools.json"
  out="$("$HEARTH_ROOT/bin/hearth" chat --model "$m" --temperature 0 -n 64 --json-schema "$dir/schema.json" "Is it ok?")" ||
    die "chat with a JSON schema failed on the GPU"
  echo "$out"
  grep -q '"ok"' <<<"$out" || die "the JSON schema answer has no \"ok\" field: $out"
  out="$("$HEARTH_ROOT/bin/hearth" chat --model "$m" --temperature 0 -n 96 --tools "$dir/tools.json" --tool-choice required "Weather in Oslo?")" ||
    die "chat with a required tool failed on the GPU"
  echo "$out"
  grep -q 'get_weather' <<<"$out" || die "the model was made to call get_weather and did not: $out"
  rm -rf "$dir"
}

# engine_check: the engine suite at the chosen stream counts, all layers on the GPU, against the CUDA-built C peer
engine_check() {
  HEARTH_BENCH_STREAMS="$streams" HEARTH_BENCH_GPU_LAYERS=999 HEARTH_BENCH_PEER_DIR="$LLAMA_DIR/cuda-native-build" \
    bench_java engine "${model_args[@]}" --threads "$threads"
}

if wants natives; then
  run natives "$HEARTH_ROOT/scripts/install-natives.sh" --cuda
  run natives cuda_libraries_resolve
fi
if wants build; then run build mvn_cmd install -DskipTests; fi
if wants probe; then run probe bench_java gpu "${model_args[@]}" --threads "$threads"; fi
if wants chat; then run chat chat_check; fi
if wants engine; then
  run engine engine_check
fi
[ "$dry" = 1 ] || info "gpu-check: every step passed ($steps)"
