#!/usr/bin/env bash
# soak_test.sh — CTest's soak: memory stays bounded under a long editing
# session. Two runs of soak.py on a generated 2,000-note vault (random
# edits, and a word never seen before inserted and deleted each time),
# each failing when RSS grows more than 2 MB after its warm-up: it grows
# 0.2-0.5 MB, and 2.3-3.3 MB with 550 bytes leaked per edit (the growth
# the issue measured). Not in sanitizer builds: ASan's quarantine grows
# RSS by design.
#   tests/bench/soak_test.sh SERVER WORKDIR
set -euo pipefail
server=$1 work=$2
here=$(cd "$(dirname "$0")" && pwd)
seconds=${SOAK_SECONDS:-25} max_mb=${SOAK_MAX_MB:-2}
vault=$work/soak-vault
if [ ! -f "$vault/.complete" ]; then
	rm -rf "$vault"
	python3 "$here/genvault.py" --notes 2000 --seed 3 --out "$vault" >/dev/null
	touch "$vault/.complete"
fi
status=0
for mode in random new-word; do
	python3 "$here/soak.py" --server "$server" --vault "$vault" --seconds "$seconds" \
		--mode "$mode" --max-growth "$max_mb" | tail -n 1 || status=1
done
exit $status
