#!/usr/bin/env bash
# tests/fuzz/run.sh [SECONDS] — build the libFuzzer targets with clang
# (ASan + UBSan + libFuzzer) into build-fuzz/, replay every kept crash input
# in tests/fuzz/regressions/, then fuzz each target for SECONDS (default
# 60), as many targets at a time as there are processors.
#
# Exits non-zero on any crash, leak, timeout (-timeout=30: a hang takes
# minutes, and a loaded 2-core machine under ASan needs headroom) or out-of-memory
# (-rss_limit_mb=2048), after copying each reproducer to
# tests/fuzz/regressions/<target>/ (so it becomes a regression test: replay
# it with build-fuzz/tests/fuzz/fuzz_<target> FILE, or in any build with
# replay_<target> FILE) and printing its path.
#
# Environment:
#   VAULT_FUZZ_TARGETS  targets to run (default: all six)
#   VAULT_FUZZ_BUILD    build directory (default: build-fuzz)
#   VAULT_FUZZ_JOBS     targets fuzzed at once (default: nproc)
#   VAULT_GRAMMAR_DIR   an unpacked tree-sitter-markdown package (offline)
#   CC                  the compiler (default: clang)
# The corpus each target grows is kept in $VAULT_FUZZ_BUILD/corpus/<target>
# so later runs start from it; seeds from tests/fuzz/corpus/ and the test
# fixtures are added at every run.
set -euo pipefail

secs=${1:-60}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${VAULT_FUZZ_BUILD:-$root/build-fuzz}
targets=${VAULT_FUZZ_TARGETS:-transport server note_parse position workspace index_cache}
cc=${CC:-clang}
jobs=${VAULT_FUZZ_JOBS:-$(nproc)}

declare -A dict=([transport]=transport.dict [server]=server.dict [note_parse]=markdown.dict
                 [position]=position.dict [workspace]=markdown.dict)
declare -A max_len=([transport]=8192 [server]=16384 [note_parse]=16384
                    [position]=512 [workspace]=8192 [index_cache]=65536)

# ---- build ----------------------------------------------------------------
args=(-S "$root" -B "$build" -DCMAKE_C_COMPILER="$cc" -DCMAKE_BUILD_TYPE=RelWithDebInfo)
[[ -n ${VAULT_GRAMMAR_DIR:-} ]] && args+=(-DVAULT_GRAMMAR_DIR="$VAULT_GRAMMAR_DIR")
if grep -q 'VAULT_FUZZ' "$root/CMakeLists.txt"; then
	# -U: drop the hook an earlier, unwired configure may have cached.
	args+=(-DVAULT_FUZZ=ON -UCMAKE_PROJECT_INCLUDE)
else
	# The top level does not know VAULT_FUZZ yet: a project() hook sets the
	# same flags and adds tests/fuzz (vault_warnings is defined later in the
	# top level, so calls to it wait until the end of the directory).
	mkdir -p "$build"
	cat >"$build/fuzz-hook.cmake" <<EOF
set(VAULT_FUZZ ON)
add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
add_link_options(-fsanitize=address,undefined)
function(vault_warnings target)
  set_property(GLOBAL APPEND PROPERTY VAULT_FUZZ_LATE_WARNINGS \${target})
endfunction()
function(vault_fuzz_late_warnings)
  get_property(targets GLOBAL PROPERTY VAULT_FUZZ_LATE_WARNINGS)
  foreach(t IN LISTS targets)
    vault_warnings(\${t})
  endforeach()
endfunction()
add_subdirectory("$here" "$build/tests/fuzz")
cmake_language(DEFER CALL vault_fuzz_late_warnings)
EOF
	args+=(-DCMAKE_PROJECT_INCLUDE="$build/fuzz-hook.cmake")
fi
cmake "${args[@]}" >/dev/null
build_targets=()
for t in $targets; do build_targets+=(fuzz_"$t"); done
[[ " $targets " == *" index_cache "* ]] && build_targets+=(fuzz_index_cache_seeds)
cmake --build "$build" -j"$(nproc)" --target "${build_targets[@]}"

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:allocator_may_return_null=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
work=$(mktemp -d "${TMPDIR:-/tmp}/vault-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT
status=0

# Copies the reproducers libFuzzer left in $1 into regressions/$2/.
keep_artifacts() {
	local dir=$1 t=$2 f
	for f in "$dir"/*; do
		[[ -f $f ]] || continue
		mkdir -p "$here/regressions/$t"
		cp "$f" "$here/regressions/$t/"
		echo "FAIL $t: reproducer $here/regressions/$t/$(basename "$f")"
		echo "     replay: $build/tests/fuzz/fuzz_$t $here/regressions/$t/$(basename "$f")"
	done
}

# ---- regressions first ----------------------------------------------------
for t in $targets; do
	files=()
	if [[ -d $here/regressions/$t ]]; then
		while IFS= read -r -d '' f; do files+=("$f"); done \
			< <(find "$here/regressions/$t" -type f ! -name '.*' -print0 | sort -z)
	fi
	(( ${#files[@]} )) || continue
	echo "== replaying ${#files[@]} regression input(s) of $t"
	for f in "${files[@]}"; do
		if ! TMPDIR=$work "$build/tests/fuzz/fuzz_$t" -timeout=30 -rss_limit_mb=2048 \
			"$f" >"$work/replay.log" 2>&1; then
			grep -vE '^(INFO|Running|Executed|\*\*\*)' "$work/replay.log" | tail -n 30  || true
			echo "FAIL $t: regression $f fails again (log above)"
			status=1
		fi
	done
done

# ---- seeds ----------------------------------------------------------------
# Splits the "<<< name" inputs of a tests/parser/*.txt file into files.
split_cases() {
	LC_ALL=C awk -v out="$2" '
		/^<<< / { if (f) close(f); f = sprintf("%s/%s-%03d", out, prefix, ++n); mode = 1; next }
		/^>>>/  { mode = 0; next }
		mode    { printf "%s\n", $0 > f }
	' prefix="$(basename "$1" .txt)" "$1"
}

seed() {
	local t=$1 dir=$2
	mkdir -p "$dir"
	[[ -d $here/corpus/$t ]] && cp "$here/corpus/$t"/* "$dir"/ 2>/dev/null || true
	case $t in
	note_parse | workspace | position)
		cp "$here"/corpus/note_parse/* "$dir"/
		find "$root/tests/vault" "$root/tests/syntax" "$root/tests/facts" -name '*.md' -size -64k -print0 |
			while IFS= read -r -d '' f; do
				cp "$f" "$dir/fixture-$(printf '%s' "$f" | cksum | cut -d' ' -f1).md"
			done
		for f in "$root"/tests/parser/*.txt; do
			if [[ -f $f ]]; then split_cases "$f" "$dir"; fi
		done
		;;
	index_cache)
		# Caches of small vaults, as this build writes them.
		"$build/tests/fuzz/fuzz_index_cache_seeds" "$dir" >/dev/null
		;;
	transport)
		# Each server seed's lines, framed.
		for f in "$here"/corpus/server/*; do
			LC_ALL=C awk '!/^#/ && length { printf "Content-Length: %d\r\n\r\n%s", length($0), $0 }' \
				"$f" >"$dir/framed-$(basename "$f")"
		done
		;;
	esac
	return 0
}

# ---- fuzz -----------------------------------------------------------------
for t in $targets; do
	while (( $(jobs -rp | wc -l) >= jobs )); do sleep 1; done
	corpus=$build/corpus/$t
	seeds=$work/seeds/$t
	art=$work/artifacts/$t
	mkdir -p "$corpus" "$art" "$work/tmp-$t"
	seed "$t" "$seeds"
	opts=(-max_total_time="$secs" -timeout=30 -rss_limit_mb=2048 -detect_leaks=1
	      -max_len="${max_len[$t]:-8192}" -print_final_stats=1 -artifact_prefix="$art/")
	[[ -n ${dict[$t]:-} ]] && opts+=(-dict="$here/${dict[$t]}")
	echo "== fuzzing $t for ${secs}s (log: $build/fuzz-$t.log)"
	# New inputs go to the first directory, the kept corpus.
	( rc=0
	  TMPDIR=$work/tmp-$t "$build/tests/fuzz/fuzz_$t" "${opts[@]}" "$corpus" "$seeds" \
		>"$build/fuzz-$t.log" 2>&1 || rc=$?
	  echo "$rc" >"$work/rc-$t" ) &
done
wait

for t in $targets; do
	log=$build/fuzz-$t.log
	if [[ $(cat "$work/rc-$t" 2>/dev/null) == 0 ]]; then
		execs=$(grep -oE '^stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$' || true)
		rate=$(grep -oE '^stat::average_exec_per_sec: *[0-9]+' "$log" | grep -oE '[0-9]+$' || true)
		cov=$(grep -E '^#[0-9]+' "$log" | tail -n 1 | grep -oE 'cov: [0-9]+ ft: [0-9]+ corp: [0-9]+' || true)
		echo "ok   $t: $execs execs ($rate/s), $cov"
	else
		status=1
		echo "---- $t: last lines of $log"
		grep -vE '^#[0-9]+' "$log" | tail -n 60
		keep_artifacts "$work/artifacts/$t" "$t"
	fi
done
exit $status
