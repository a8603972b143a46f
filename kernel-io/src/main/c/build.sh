#!/usr/bin/env bash
# Builds libl7native.so for every Linux architecture the agent ships, into OUT/linux-<arch>/, from
# all the .c files next to this script. Usage: build.sh OUT JDK_HOME (run by the kernel-io pom).
# The build machine's own architecture uses gcc, the others Debian's cross compiler
# <arch>-linux-gnu-gcc (package gcc-aarch64-linux-gnu, or gcc-x86-64-linux-gnu on an arm machine;
# bin/test installs it). One include dir serves every target: jni_md.h is the same on all Linux
# architectures. -fvisibility=hidden: the library exports JNI_OnLoad and nothing else.
set -euo pipefail
out="$1"
jdk="$2"
src="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
host="$(uname -m)"
rm -f "$out/libl7native.so" # a build from before the per-architecture folders
for arch in x86_64 aarch64; do
  cc=gcc
  [ "$arch" = "$host" ] || cc="$arch-linux-gnu-gcc"
  if ! command -v "$cc" >/dev/null 2>&1; then
    echo "l7native: $cc not found; on Debian: apt-get install gcc-${arch//_/-}-linux-gnu (bin/test does it)" >&2
    exit 1
  fi
  mkdir -p "$out/linux-$arch"
  "$cc" -O2 -Wall -Werror -fPIC -shared -fvisibility=hidden -I"$jdk/include" -I"$jdk/include/linux" \
    -o "$out/linux-$arch/libl7native.so" "$src"/*.c
done
