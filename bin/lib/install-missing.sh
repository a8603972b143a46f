# Sourced by bin/test and bin/demo.
#
# build_needs: adds to the array `need` the Debian packages the build lacks: a JDK 17, Maven, gcc,
# and the other architecture's cross compiler (kernel-io/src/main/c/build.sh builds for x86-64 and
# aarch64).
build_needs() {
  command -v javac >/dev/null 2>&1 || need+=(openjdk-17-jdk-headless)
  command -v mvn >/dev/null 2>&1 || need+=(maven)
  command -v gcc >/dev/null 2>&1 || need+=(gcc libc6-dev)
  case "$(uname -m)" in
    x86_64) command -v aarch64-linux-gnu-gcc >/dev/null 2>&1 || need+=(gcc-aarch64-linux-gnu libc6-dev-arm64-cross) ;;
    aarch64) command -v x86_64-linux-gnu-gcc >/dev/null 2>&1 || need+=(gcc-x86-64-linux-gnu libc6-dev-amd64-cross) ;;
  esac
}

# install_missing WHO PACKAGE...: installs the Debian packages
# given with apt-get (through sudo when not root), saying so on stderr; nothing when none is given.
# Without apt-get (not Debian) or a way to become root, it says what to install and exits 2.
install_missing() {
  local who="$1"; shift
  [ $# -gt 0 ] || return 0
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "$who: missing: $* (Debian package names); install them, then run this again" >&2
    exit 2
  fi
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if ! command -v sudo >/dev/null 2>&1; then
      echo "$who: missing: $*; run as root or install sudo to let this script install them" >&2
      exit 2
    fi
    sudo="sudo"
  fi
  echo "$who: installing $* (apt-get install; this takes a minute or two)..." >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@"
}
