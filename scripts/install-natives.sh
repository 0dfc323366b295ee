#!/usr/bin/env bash
# Installs the pinned llama.cpp natives and headers into $HEARTH_HOME and builds native/ against them.
# Idempotent: each step leaves a stamp naming what it installed, and is skipped when the stamp matches.
# Usage: scripts/install-natives.sh [--cuda|--no-cuda]
set -euo pipefail
. "$(dirname "$0")/lib.sh"

want_cuda=auto
for arg in "$@"; do
  case "$arg" in
    --cuda) want_cuda=yes ;;
    --no-cuda) want_cuda=no ;;
    *) die "unknown option $arg (use --cuda or --no-cuda)" ;;
  esac
done
if [ "$want_cuda" = auto ]; then
  if [ -e /proc/driver/nvidia/version ] || command -v nvidia-smi >/dev/null 2>&1; then want_cuda=yes; else want_cuda=no; fi
fi

command -v npm >/dev/null || die "npm is not installed; it fetches the pinned llama.cpp natives from the npm registry. Install Node.js 20+ with npm."
mkdir -p "$LLAMA_DIR"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# npm_fetch PACKAGE INTEGRITY -> prints the path of the verified tarball
npm_fetch() {
  local spec="$1" integrity="$2" file actual
  (cd "$work" && npm pack --silent --loglevel=error "$spec" >/dev/null 2>"$work/npm.err") ||
    die "npm pack $spec failed: $(cat "$work/npm.err")"
  file="$(ls -t "$work"/*.tgz | head -1)"
  actual="sha512-$(openssl dgst -sha512 -binary "$file" | base64 -w0)"
  [ "$actual" = "$integrity" ] || die "$spec: integrity mismatch (pinned $integrity, got $actual); refusing to install it."
  echo "$file"
}

# install_bins PACKAGE INTEGRITY DEST
install_bins() {
  local spec="$1" integrity="$2" dest="$3" tgz
  if [ "$(cat "$dest/.stamp" 2>/dev/null)" = "$integrity" ]; then return 0; fi
  info "installing $spec into $dest"
  tgz="$(npm_fetch "$spec" "$integrity")"
  rm -rf "$dest" "$work/unpack" && mkdir -p "$dest" "$work/unpack"
  tar -xzf "$tgz" -C "$work/unpack"
  cp "$work"/unpack/package/bins/*/* "$dest"/
  rm -f "$tgz"
  echo "$integrity" > "$dest/.stamp"
}

# source_repo: a bare git repository of the pinned llama.cpp release (from node-llama-cpp's bundle) in $work/repo
source_repo() {
  local tgz
  if [ -d "$work/repo" ]; then return 0; fi
  command -v git >/dev/null || die "git is needed to read the llama.cpp source bundle; install git."
  tgz="$(npm_fetch "node-llama-cpp@$NODE_LLAMA_CPP_VERSION" "$INTEGRITY_SOURCE")"
  mkdir -p "$work/src"
  tar -xzf "$tgz" -C "$work/src" package/llama/gitRelease.bundle package/llama/llama.cpp.info.json
  grep -q "\"$LLAMA_CPP_RELEASE\"" "$work/src/package/llama/llama.cpp.info.json" ||
    die "node-llama-cpp@$NODE_LLAMA_CPP_VERSION does not carry llama.cpp $LLAMA_CPP_RELEASE"
  git init -q --bare "$work/repo"
  git -C "$work/repo" fetch -q "$work/src/package/llama/gitRelease.bundle" "HEAD:refs/heads/release"
}

install_headers() {
  local dest="$LLAMA_DIR/src" stamp="$INTEGRITY_SOURCE include+common+templates"
  if [ "$(cat "$dest/.stamp" 2>/dev/null)" = "$stamp" ]; then return 0; fi
  info "installing llama.cpp $LLAMA_CPP_RELEASE headers and chat templates into $dest"
  source_repo
  rm -rf "$dest" && mkdir -p "$dest"
  # headers for native/, and the model family chat templates the tests render
  git -C "$work/repo" archive release include ggml/include common models/templates | tar -x -C "$dest"
  echo "$stamp" > "$dest/.stamp"
}

# llama.cpp's tokenizer test vectors (models/ggml-vocab-*.gguf with .inp/.out), which the tokenizer tests run. A
# directory of their own, not src/: src/'s stamp is part of native-build's, and these files do not change native/.
install_vocabs() {
  local dest="$LLAMA_DIR/vocab" stamp="$INTEGRITY_SOURCE models/ggml-vocab-*"
  if [ "$(cat "$dest/.stamp" 2>/dev/null)" = "$stamp" ]; then return 0; fi
  info "installing llama.cpp $LLAMA_CPP_RELEASE tokenizer test vectors into $dest"
  source_repo
  rm -rf "$dest" && mkdir -p "$dest"
  git -C "$work/repo" archive release models | tar -x -C "$dest" --strip-components=1 --wildcards 'models/ggml-vocab-*'
  ls "$dest"/ggml-vocab-*.gguf >/dev/null 2>&1 || die "llama.cpp $LLAMA_CPP_RELEASE has no models/ggml-vocab-*.gguf"
  echo "$stamp" > "$dest/.stamp"
}

# Builds native/ in a fresh directory and installs what it made into $LLAMA_DIR/native-build. The CMake tree is
# thrown away: a CMake cache belongs to one source directory, and several clones (a user's, one CI makes beside it)
# share one HEARTH_HOME; the stamp (native/ sources, cmake/, headers) decides when the installed build is stale.
build_native() {
  local dest="$LLAMA_DIR/native-build" build="$work/native-build" stamp f
  command -v cmake >/dev/null || die "cmake is needed to build native/ (the ABI probe and the C benchmark); install cmake and a C compiler."
  stamp="$(cat "$HEARTH_ROOT"/native/* "$HEARTH_ROOT"/cmake/* "$LLAMA_DIR/src/.stamp" | sha256sum | cut -c1-16)"
  if [ "$(cat "$dest/.stamp" 2>/dev/null)" = "$stamp" ] && [ -x "$dest/abi_probe" ]; then return 0; fi
  info "building native/ into $dest"
  cmake -S "$HEARTH_ROOT/native" -B "$build" -DCMAKE_BUILD_TYPE=Release \
    -DHEARTH_LLAMA_DIR="$LLAMA_DIR" >"$work/cmake.log" 2>&1 || { cat "$work/cmake.log" >&2; die "cmake configure of native/ failed"; }
  cmake --build "$build" -j 2 >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; die "building native/ failed"; }
  mkdir -p "$dest"
  rm -rf "$dest/CMakeCache.txt" "$dest/CMakeFiles" "$dest/Makefile" "$dest/cmake_install.cmake"
  for f in abi_probe llama_bench_c llama_batched_c grammar_bench_c libhearth_native.so; do
    # a new file renamed over the old one: a running process keeps the file it mapped
    cp "$build/$f" "$dest/.$f.new" && mv -f "$dest/.$f.new" "$dest/$f"
  done
  echo "$stamp" > "$dest/.stamp"
}

# Builds native/ against the CUDA natives too: libhearth_native.so beside them (Hearth loads the shim from the natives
# directory in use first, and refuses one that maps llama.cpp's libraries from another directory), and the C peers
# (llama_batched_c, ...) into $LLAMA_DIR/cuda-native-build for scripts/gpu-check.sh. CMake finds the libraries under
# <dir>/cpu, so it is given a directory whose cpu/ is the CUDA build. The CUDA runtime need not be present to link:
# the libraries it brings are left for the loader to find on a machine with a GPU.
build_native_cuda() {
  # the stage stays: the binaries' RUNPATH names its cpu/, which leads to the CUDA natives
  local dest="$LLAMA_DIR/cuda-native-build" stage="$LLAMA_DIR/cuda-stage" build="$work/native-build-cuda" stamp f
  stamp="$(cat "$HEARTH_ROOT"/native/* "$HEARTH_ROOT"/cmake/* "$LLAMA_DIR/src/.stamp" "$LLAMA_DIR/cuda/.stamp" | sha256sum | cut -c1-16)"
  if [ "$(cat "$dest/.stamp" 2>/dev/null)" = "$stamp" ] && [ -f "$LLAMA_DIR/cuda/libhearth_native.so" ]; then return 0; fi
  info "building native/ against the CUDA natives into $dest"
  mkdir -p "$stage" && ln -sfn "$LLAMA_DIR/src" "$stage/src" && ln -sfn "$LLAMA_DIR/cuda" "$stage/cpu"
  cmake -S "$HEARTH_ROOT/native" -B "$build" -DCMAKE_BUILD_TYPE=Release -DHEARTH_LLAMA_DIR="$stage" \
    -DCMAKE_EXE_LINKER_FLAGS=-Wl,--allow-shlib-undefined -DCMAKE_SHARED_LINKER_FLAGS=-Wl,--allow-shlib-undefined \
    >"$work/cmake-cuda.log" 2>&1 || { cat "$work/cmake-cuda.log" >&2; die "cmake configure of native/ against the CUDA natives failed"; }
  cmake --build "$build" -j 2 >"$work/build-cuda.log" 2>&1 || { cat "$work/build-cuda.log" >&2; die "building native/ against the CUDA natives failed"; }
  mkdir -p "$dest"
  for f in abi_probe llama_bench_c llama_batched_c grammar_bench_c libhearth_native.so; do
    cp "$build/$f" "$dest/.$f.new" && mv -f "$dest/.$f.new" "$dest/$f"
  done
  cp "$build/libhearth_native.so" "$LLAMA_DIR/cuda/.libhearth_native.so.new" &&
    mv -f "$LLAMA_DIR/cuda/.libhearth_native.so.new" "$LLAMA_DIR/cuda/libhearth_native.so"
  echo "$stamp" > "$dest/.stamp"
}

# A natives directory with one ggml CPU variant (llama.cpp picks the best its CPU can run from what it finds), for
# running the tests as a machine with that variant would: hard links (or copies) of the CPU natives but the other
# libggml-cpu-*.so. Prints the directory.
variant_dir() {
  local variant="$1" src="$LLAMA_DIR/cpu" dest="$LLAMA_DIR/variants/$1" f name
  [ -f "$src/libggml-cpu-$variant.so" ] || die "no ggml CPU variant '$variant' in $src; there are: $(cd "$src" && ls libggml-cpu-*.so | sed 's/libggml-cpu-//; s/\.so$//' | tr '\n' ' ')"
  if [ "$(cat "$dest/.stamp" 2>/dev/null)" != "$(cat "$src/.stamp")" ]; then
    rm -rf "$dest" && mkdir -p "$dest"
    for f in "$src"/*; do
      name="$(basename "$f")"
      case "$name" in libggml-cpu-*.so) [ "$name" = "libggml-cpu-$variant.so" ] || continue ;; esac
      ln "$f" "$dest/$name" 2>/dev/null || cp "$f" "$dest/$name"
    done
    cp "$src/.stamp" "$dest/.stamp"
  fi
  echo "$dest"
}

install_bins "@node-llama-cpp/linux-x64@$NODE_LLAMA_CPP_VERSION" "$INTEGRITY_CPU" "$LLAMA_DIR/cpu"
if [ "$want_cuda" = yes ]; then
  install_bins "@node-llama-cpp/linux-x64-cuda@$NODE_LLAMA_CPP_VERSION" "$INTEGRITY_CUDA" "$LLAMA_DIR/cuda"
fi
install_headers
install_vocabs
build_native
if [ "$want_cuda" = yes ]; then build_native_cuda; fi
if [ -n "${HEARTH_CPU_VARIANT:-}" ]; then variant_dir "$HEARTH_CPU_VARIANT" >/dev/null; fi
