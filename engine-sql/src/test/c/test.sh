#!/usr/bin/env bash
# Builds and runs the C unit test of the native aggregate's funnel algorithm
# (funnel_algorithm_test.c against src/main/c/funnel_algorithm.c) for the host platform, in
# <build-dir>/c-test. Maven runs it in engine-sql's test phase (profile "native", with
# src/main/c/build.sh); -Dtracetics.native.skip=true, -DskipTests and -Dmaven.test.skip=true skip
# it. A failed check or a compile error fails the build; without a C compiler ($CC, default cc) it
# is left out with a warning, as the extension is.
# Usage: test.sh <build-dir>
set -euo pipefail

build=${1:?usage: test.sh <build-dir>}
here=$(cd "$(dirname "$0")" && pwd)
main="$here/../../main/c"

# TRACETICS_SKIP_TESTS: Maven's skipTests and maven.test.skip, "true" when either is.
if [[ " ${TRACETICS_SKIP_TESTS:-} " == *" true "* ]]; then
  echo "[tracetics] native funnel algorithm test skipped (tests are skipped)."
  exit 0
fi
cc=${CC:-cc}
if ! command -v "$cc" >/dev/null 2>&1; then
  echo "[tracetics] WARNING: native funnel algorithm test not run: no C compiler ($cc) on the PATH." >&2
  exit 0
fi

out="$build/c-test"
mkdir -p "$out"
"$cc" -std=gnu11 -O2 -Wall -Wextra -Werror -I"$main" -o "$out/funnel_algorithm_test" \
  "$here/funnel_algorithm_test.c" "$main/funnel_algorithm.c"
"$out/funnel_algorithm_test"
