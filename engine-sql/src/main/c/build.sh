#!/usr/bin/env bash
# Builds the engine's DuckDB extension (tracetics_funnel.c) into
#   <classes>/io/tracetics/engine/native/<platform>/tracetics_funnel.duckdb_extension
# Maven runs it in engine-sql's generate-resources phase (profile "native", on by default on
# Unix; -Dtracetics.native.skip=true turns it off). Usage: build.sh <classes-dir>
#
# Needs a C compiler (cc, or $CC) and, once, the DuckDB C API headers: duckdb.h and
# duckdb_extension.h from the npm package "duckdb" (MIT licence), downloaded with curl or wget,
# checked against the registry's SHA-1, and kept in ${TRACETICS_CACHE:-~/.cache/tracetics}.
# The extension uses the stable C extension API v1.2.0, which DuckDB 1.2 and later load.
#
# When something is missing (no compiler, no download, an unknown platform) it says why and exits
# 0 without an extension: the engine then runs every funnel with its SQL plans (slower, same
# answers). A compile error fails the build.
set -euo pipefail

classes=${1:?usage: build.sh <classes-dir>}
here=$(cd "$(dirname "$0")" && pwd)
headers_version=1.4.4
headers_sha1=7878d3c20c23b0f6c583c1b389c2632f0de5b0b1
headers_url="https://registry.npmjs.org/duckdb/-/duckdb-${headers_version}.tgz"
cache=${TRACETICS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/tracetics}
include="$cache/duckdb-c-api-${headers_version}"

skip() {
  echo "[tracetics] WARNING: native funnel extension not built: $1." >&2
  echo "[tracetics] WARNING: the engine will use its SQL plans (same answers, slower funnels)." >&2
  rm -rf "$classes/io/tracetics/engine/native"
  exit 0
}

# The platform name as DuckDB spells it (PRAGMA platform); the store loads only its own.
case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) platform=linux_amd64 ;;
  Linux-aarch64 | Linux-arm64) platform=linux_arm64 ;;
  Darwin-arm64) platform=osx_arm64 ;;
  Darwin-x86_64) platform=osx_amd64 ;;
  *) skip "no DuckDB platform name known for $(uname -s)-$(uname -m)" ;;
esac
cc=${CC:-cc}
command -v "$cc" >/dev/null 2>&1 || skip "no C compiler ($cc) on the PATH"

out_dir="$classes/io/tracetics/engine/native/$platform"
out="$out_dir/tracetics_funnel.duckdb_extension"
if [ -f "$out" ] && [ "$out" -nt "$here/tracetics_funnel.c" ] && [ "$out" -nt "$here/build.sh" ]; then
  exit 0
fi

if [ ! -f "$include/duckdb.h" ] || [ ! -f "$include/duckdb_extension.h" ]; then
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  if command -v curl >/dev/null 2>&1; then
    curl -fsSL --retry 2 -o "$work/duckdb.tgz" "$headers_url" || skip "cannot download $headers_url"
  elif command -v wget >/dev/null 2>&1; then
    wget -q -O "$work/duckdb.tgz" "$headers_url" || skip "cannot download $headers_url"
  else
    skip "neither curl nor wget to download the DuckDB C API headers"
  fi
  if command -v sha1sum >/dev/null 2>&1; then
    sum=$(sha1sum "$work/duckdb.tgz" | cut -d' ' -f1)
  else
    sum=$(shasum -a 1 "$work/duckdb.tgz" | cut -d' ' -f1)
  fi
  [ "$sum" = "$headers_sha1" ] || skip "$headers_url has SHA-1 $sum, expected $headers_sha1"
  tar -xzf "$work/duckdb.tgz" -C "$work" \
    package/src/duckdb/src/include/duckdb.h package/src/duckdb/src/include/duckdb_extension.h
  mkdir -p "$include"
  cp "$work/package/src/duckdb/src/include/duckdb.h" \
    "$work/package/src/duckdb/src/include/duckdb_extension.h" "$include/"
fi

mkdir -p "$out_dir"
tmp="$out.tmp"
"$cc" -std=gnu11 -O2 -fPIC -shared -fvisibility=hidden -Wall -Wextra -Werror \
  -I"$include" -o "$tmp" "$here/tracetics_funnel.c" -lpthread

# DuckDB reads a 512-byte footer: eight 32-byte fields, last one first (magic "4", platform,
# C API version, extension version, ABI type, three unused), then a 256-byte signature, all zero
# for an unsigned extension (the store opens DuckDB with allow_unsigned_extensions).
field() {
  printf '%s' "$1"
  head -c $((32 - ${#1})) /dev/zero
}
{
  field ""
  field ""
  field ""
  field "C_STRUCT"
  field "0.1.0"
  field "v1.2.0"
  field "$platform"
  field "4"
  head -c 256 /dev/zero
} >>"$tmp"
mv "$tmp" "$out"
