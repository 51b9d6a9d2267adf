#!/usr/bin/env bash
# Second command of the README: build and run every test.
set -euo pipefail
cd "$(dirname "$0")/.."

bash .ci/deps.sh
cmake -S . -B build-test -DCMAKE_BUILD_TYPE=RelWithDebInfo -DVAULT_WERROR=ON
cmake --build build-test -j"$(nproc)"
ctest --test-dir build-test --output-on-failure -j"$(nproc)"
