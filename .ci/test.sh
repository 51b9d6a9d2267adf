#!/usr/bin/env bash
# Second command of the README: build and run every test, then the whole
# suite again under AddressSanitizer and UndefinedBehaviorSanitizer.
set -euo pipefail
cd "$(dirname "$0")/.."

bash .ci/deps.sh
jobs=$(nproc)

echo "== build and test"
cmake -S . -B build-test -DCMAKE_BUILD_TYPE=RelWithDebInfo -DVAULT_WERROR=ON
cmake --build build-test -j"$jobs"
ctest --test-dir build-test --output-on-failure -j"$jobs"

echo "== the same under ASan + UBSan"
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DVAULT_WERROR=ON -DVAULT_SANITIZE=ON
cmake --build build-asan -j"$jobs"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
	ctest --test-dir build-asan --output-on-failure -j"$jobs"

# Memcheck sees reads of uninitialised memory, which ASan does not: the
# protocol tests (in-process server, and the real binary over pipes, its
# children traced) run under it, failing on any error or definite leak.
echo "== protocol tests under valgrind"
for t in test_server test_faults test_pipes; do
	valgrind -q --error-exitcode=99 --leak-check=full --show-leak-kinds=definite \
		--errors-for-leak-kinds=definite --trace-children=yes \
		--trace-children-skip='/usr/bin/*,/bin/*' build-test/tests/$t
done

# Fuzzing, time-boxed: each libFuzzer target (clang, ASan+UBSan) for
# VAULT_FUZZ_SECONDS (default 60); kept crash inputs are replayed first and
# in every build's CTest run. The long campaign: tests/fuzz/run.sh 3600.
if command -v clang >/dev/null 2>&1; then
	echo "== fuzzing"
	bash tests/fuzz/run.sh "${VAULT_FUZZ_SECONDS:-60}"
else
	echo "== fuzzing skipped: no clang"
fi
