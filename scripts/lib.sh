# Shared helpers for Hearth's scripts. Source it; it defines functions and variables only.

HEARTH_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
HEARTH_HOME="${HEARTH_HOME:-$HOME/.cache/hearth}"
# shellcheck disable=SC1091
. "$HEARTH_ROOT/natives.lock"
LLAMA_DIR="$HEARTH_HOME/llama.cpp/$LLAMA_CPP_RELEASE"

die() { echo "hearth: $*" >&2; exit 1; }
info() { echo "hearth: $*" >&2; }

# Prints the major version of the JDK at $1, or nothing.
jdk_major() {
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 0
  "$1/bin/java" -XshowSettings:properties -version 2>&1 |
    sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -1
}

# Finds a JDK >= 22: JAVA_HOME if it is new enough, else the newest under /usr/lib/jvm.
find_jdk() {
  local best="" best_major=0 candidate major
  if [ -n "${JAVA_HOME:-}" ]; then
    major=$(jdk_major "$JAVA_HOME")
    if [ -n "$major" ] && [ "$major" -ge 22 ]; then echo "$JAVA_HOME"; return 0; fi
  fi
  for candidate in /usr/lib/jvm/*; do
    [ -d "$candidate" ] || continue
    major=$(jdk_major "$candidate")
    if [ -n "$major" ] && [ "$major" -gt "$best_major" ]; then best="$candidate"; best_major=$major; fi
  done
  if [ "$best_major" -ge 22 ]; then echo "$best"; return 0; fi
  die "no JDK 22 or newer found (JAVA_HOME=${JAVA_HOME:-unset}, none under /usr/lib/jvm). Install one (Temurin 25 recommended) and set JAVA_HOME to it."
}

use_jdk() {
  JAVA_HOME="$(find_jdk)" || exit 1
  export JAVA_HOME
  export PATH="$JAVA_HOME/bin:$PATH"
  # Maven's own libraries call sun.misc.Unsafe, which JDK 24+ warns about on every run.
  if [ "$(jdk_major "$JAVA_HOME")" -ge 24 ]; then
    case "${MAVEN_OPTS:-}" in *sun-misc-unsafe*) ;; *) export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow" ;; esac
  fi
}

mvn_cmd() {
  command -v mvn >/dev/null || die "Maven (mvn) is not installed; install Maven 3.8 or newer."
  local onnx=()
  # with an NVIDIA driver, ONNX Runtime's GPU build (CUDA execution provider; CPU fallback at run time);
  # HEARTH_ONNX_GPU=0 keeps the CPU build
  if [ "${HEARTH_ONNX_GPU:-1}" != 0 ] && { [ -e /proc/driver/nvidia/version ] || command -v nvidia-smi >/dev/null 2>&1; }; then
    onnx=(-Donnxruntime.artifact=onnxruntime_gpu)
  fi
  mvn -B -q -Dstyle.color=never -f "$HEARTH_ROOT/pom.xml" "${onnx[@]}" "$@"
}

# apt_install PACKAGE COMMAND: installs a distribution package with apt-get (sudo when not root) unless COMMAND is on
# PATH already; dies with what to do when apt-get is not here, or the command is still missing after.
apt_install() {
  local package="$1" command="$2" instead="$3"
  if command -v "$command" >/dev/null; then
    info "$command already installed ($(command -v "$command"))"
    return 0
  fi
  command -v apt-get >/dev/null || die "$command is not installed and apt-get is not here; install $package with your" \
    "package manager${instead:+, or $instead}"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  info "installing $package with apt-get"
  $sudo apt-get update -q >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "$package" >&2
  command -v "$command" >/dev/null || die "apt-get installed $package but $command is not on PATH"
}
