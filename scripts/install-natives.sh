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

install_headers() {
  local dest="$LLAMA_DIR/src" tgz stamp="$INTEGRITY_SOURCE include+common+templates"
  if [ "$(cat "$dest/.stamp" 2>/dev/null)" = "$stamp" ]; then return 0; fi
  command -v git >/dev/null || die "git is needed to read the llama.cpp source bundle; install git."
  info "installing llama.cpp $LLAMA_CPP_RELEASE headers and chat templates into $dest"
  tgz="$(npm_fetch "node-llama-cpp@$NODE_LLAMA_CPP_VERSION" "$INTEGRITY_SOURCE")"
  mkdir -p "$work/src"
  tar -xzf "$tgz" -C "$work/src" package/llama/gitRelease.bundle package/llama/llama.cpp.info.json
  grep -q "\"$LLAMA_CPP_RELEASE\"" "$work/src/package/llama/llama.cpp.info.json" ||
    die "node-llama-cpp@$NODE_LLAMA_CPP_VERSION does not carry llama.cpp $LLAMA_CPP_RELEASE"
  git init -q --bare "$work/repo"
  git -C "$work/repo" fetch -q "$work/src/package/llama/gitRelease.bundle" "HEAD:refs/heads/release"
  rm -rf "$dest" && mkdir -p "$dest"
  # headers for native/, and the model family chat templates the tests render
  git -C "$work/repo" archive release include ggml/include common models/templates | tar -x -C "$dest"
  echo "$stamp" > "$dest/.stamp"
}

build_native() {
  local build="$LLAMA_DIR/native-build" stamp
  command -v cmake >/dev/null || die "cmake is needed to build native/ (the ABI probe and the C benchmark); install cmake and a C compiler."
  stamp="$(cat "$HEARTH_ROOT"/native/* "$HEARTH_ROOT"/cmake/* "$LLAMA_DIR/src/.stamp" | sha256sum | cut -c1-16)"
  if [ "$(cat "$build/.stamp" 2>/dev/null)" = "$stamp" ] && [ -x "$build/abi_probe" ]; then return 0; fi
  info "building native/ into $build"
  cmake -S "$HEARTH_ROOT/native" -B "$build" -DCMAKE_BUILD_TYPE=Release \
    -DHEARTH_LLAMA_DIR="$LLAMA_DIR" >"$work/cmake.log" 2>&1 || { cat "$work/cmake.log" >&2; die "cmake configure of native/ failed"; }
  cmake --build "$build" -j 2 >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; die "building native/ failed"; }
  echo "$stamp" > "$build/.stamp"
}

install_bins "@node-llama-cpp/linux-x64@$NODE_LLAMA_CPP_VERSION" "$INTEGRITY_CPU" "$LLAMA_DIR/cpu"
if [ "$want_cuda" = yes ]; then
  install_bins "@node-llama-cpp/linux-x64-cuda@$NODE_LLAMA_CPP_VERSION" "$INTEGRITY_CUDA" "$LLAMA_DIR/cuda"
fi
install_headers
build_native
