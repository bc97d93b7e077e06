#!/usr/bin/env bash
# Builds the engine's DuckDB extension (tracetics_funnel.c, the DuckDB glue, with
# funnel_algorithm.c and funnel_memory.c) into
#   <classes>/io/tracetics/engine/native/<platform>/tracetics_funnel.duckdb_extension
# for the host platform and, on Linux, for the other Linux CPU (linux_amd64, linux_arm64) when a
# cross compiler for it is at hand. Maven runs it in engine-sql's generate-resources phase
# (profile "native", on by default on Unix; -Dtracetics.native.skip=true turns it off).
# Usage: build.sh <classes-dir>
#
# Compilers: the host platform uses $CC (default cc). linux_amd64 and linux_arm64 use
# $CC_LINUX_AMD64 / $CC_LINUX_ARM64 when set, else cc on that CPU and the Debian cross compilers
# (x86_64-linux-gnu-gcc, aarch64-linux-gnu-gcc: packages gcc-x86-64-linux-gnu, gcc-aarch64-linux-gnu)
# elsewhere.
#
# The DuckDB C API headers (duckdb.h, duckdb_extension.h, MIT licence) come from the npm package
# pinned by package.json and package-lock.json beside this script, installed once with
# `npm ci --ignore-scripts` (the lock file's integrity hashes are checked; nothing of the package
# runs). The two headers are kept in ${TRACETICS_CACHE:-~/.cache/tracetics}/duckdb-c-api-<lock hash>.
# The extension uses the stable C extension API v1.2.0, which DuckDB 1.2 and later load.
#
# TRACETICS_NATIVE_REQUIRE (e.g. "linux_amd64 linux_arm64", set by -Pdist) names platforms that
# must be built: when one cannot be, the build fails. Any other platform that cannot be built
# (no compiler, no npm, an unknown host) is left out with a warning for the host platform and
# without one for a cross build: the engine then runs every funnel with its SQL plans on that
# platform (slower, same answers). A compile error always fails the build.
set -euo pipefail

classes=${1:?usage: build.sh <classes-dir>}
here=$(cd "$(dirname "$0")" && pwd)
sources=("$here/tracetics_funnel.c" "$here/funnel_algorithm.c" "$here/funnel_memory.c")
native="$classes/io/tracetics/engine/native"
require=${TRACETICS_NATIVE_REQUIRE:-}
required=" ${require//,/ } "

is_required() { [[ "$required" == *" $1 "* ]]; }

# Says why $1 cannot be built; fails the build when it is required.
missing() {
  local platform=$1 why=$2 host=$3
  rm -rf "${native:?}/$platform"
  if is_required "$platform"; then
    echo "[tracetics] ERROR: the native funnel extension for $platform is required" \
      "(TRACETICS_NATIVE_REQUIRE, -Pdist) but cannot be built: $why." >&2
    exit 1
  fi
  if [ "$host" = host ]; then
    echo "[tracetics] WARNING: native funnel extension for $platform not built: $why." >&2
    echo "[tracetics] WARNING: the engine will use its SQL plans (same answers, slower funnels)." >&2
  else
    echo "[tracetics] native funnel extension for $platform not built: $why."
  fi
}

# The host platform as DuckDB spells it (PRAGMA platform); the store loads only its own.
case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) host=linux_amd64 ;;
  Linux-aarch64 | Linux-arm64) host=linux_arm64 ;;
  Darwin-arm64) host=osx_arm64 ;;
  Darwin-x86_64) host=osx_amd64 ;;
  *) host="" ;;
esac
if [ -z "$host" ]; then
  echo "[tracetics] WARNING: no DuckDB platform name known for $(uname -s)-$(uname -m):" \
    "the engine will use its SQL plans." >&2
fi

# The platforms to build, each with its compiler and, for Linux, its ELF machine number.
platforms=()
[ -n "$host" ] && platforms+=("$host")
case "$host" in linux_* | "") platforms+=(linux_amd64 linux_arm64) ;; esac
for p in $required; do platforms+=("$p"); done

compiler_for() {
  case "$1" in
    "$host") echo "${CC:-cc}" ;;
    linux_amd64) echo "${CC_LINUX_AMD64:-x86_64-linux-gnu-gcc}" ;;
    linux_arm64) echo "${CC_LINUX_ARM64:-aarch64-linux-gnu-gcc}" ;;
    *) echo "" ;;
  esac
}
elf_machine_for() {
  case "$1" in
    linux_amd64) echo 62 ;;  # EM_X86_64
    linux_arm64) echo 183 ;; # EM_AARCH64
    *) echo "" ;;
  esac
}

lock="$here/package-lock.json"
if command -v sha256sum >/dev/null 2>&1; then
  lock_hash=$(sha256sum "$lock" | cut -c1-16)
else
  lock_hash=$(shasum -a 256 "$lock" | cut -c1-16)
fi
cache=${TRACETICS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/tracetics}
include="$cache/duckdb-c-api-$lock_hash"

# Installs the headers once; prints why when it cannot.
headers_problem() {
  [ -f "$include/duckdb.h" ] && [ -f "$include/duckdb_extension.h" ] && return 0
  if ! command -v npm >/dev/null 2>&1; then
    echo "no npm on the PATH to install the DuckDB C API headers"
    return 0
  fi
  local work
  work=$(mktemp -d)
  cp "$here/package.json" "$lock" "$work/"
  if ! (cd "$work" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >&2); then
    rm -rf "$work"
    echo "npm ci could not install the DuckDB C API headers ($lock)"
    return 0
  fi
  local from="$work/node_modules/duckdb/src/duckdb/src/include"
  mkdir -p "$include.tmp.$$"
  cp "$from/duckdb.h" "$from/duckdb_extension.h" "$include.tmp.$$/"
  rm -rf "$work"
  # Another build may have installed the same headers meanwhile: keep the first.
  [ -d "$include" ] || mv "$include.tmp.$$" "$include"
  rm -rf "$include.tmp.$$"
}

# DuckDB reads a 512-byte footer: eight 32-byte fields, last one first (magic "4", platform,
# C API version, extension version, ABI type, three unused), then a 256-byte signature, all zero
# for an unsigned extension (the store opens DuckDB with allow_unsigned_extensions).
footer() {
  field() {
    printf '%s' "$1"
    head -c $((32 - ${#1})) /dev/zero
  }
  field ""
  field ""
  field ""
  field "C_STRUCT"
  field "0.1.0"
  field "v1.2.0"
  field "$1"
  field "4"
  head -c 256 /dev/zero
}

# Whether $1 is newer than every source, header, this script and the lock file.
newer_than_inputs() {
  local input
  for input in "$here"/*.c "$here"/*.h "$here/build.sh" "$lock"; do
    [ "$1" -nt "$input" ] || return 1
  done
}

headers_checked=""
headers_error=""
seen=" "
for platform in "${platforms[@]}"; do
  case "$seen" in *" $platform "*) continue ;; esac
  seen="$seen$platform "
  role=cross
  [ "$platform" = "$host" ] && role=host
  out_dir="$native/$platform"
  out="$out_dir/tracetics_funnel.duckdb_extension"
  if [ -f "$out" ] && newer_than_inputs "$out"; then
    continue
  fi
  cc=$(compiler_for "$platform")
  if [ -z "$cc" ]; then
    missing "$platform" "it is built only on $platform itself" "$role"
    continue
  fi
  if ! command -v "$cc" >/dev/null 2>&1; then
    missing "$platform" "no C compiler ($cc) on the PATH" "$role"
    continue
  fi
  if [ -z "$headers_checked" ]; then
    headers_error=$(headers_problem)
    headers_checked=1
  fi
  if [ -n "$headers_error" ]; then
    missing "$platform" "$headers_error" "$role"
    continue
  fi

  mkdir -p "$out_dir"
  tmp="$out.tmp"
  "$cc" -std=gnu11 -O2 -fPIC -shared -fvisibility=hidden -Wall -Wextra -Werror \
    -I"$include" -o "$tmp" "${sources[@]}" -lpthread
  machine=$(elf_machine_for "$platform")
  if [ -n "$machine" ]; then
    # e_machine, a little-endian 16-bit number at byte 18 of the ELF header.
    actual=$(od -An -tu2 -j18 -N2 "$tmp" | tr -d ' ')
    if [ "$actual" != "$machine" ]; then
      rm -f "$tmp"
      echo "[tracetics] ERROR: $cc made an ELF file for machine $actual, not $platform ($machine)." >&2
      exit 1
    fi
  fi
  footer "$platform" >>"$tmp"
  mv "$tmp" "$out"
  echo "[tracetics] native funnel extension built for $platform ($cc)"
done
