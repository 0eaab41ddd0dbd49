#!/usr/bin/env bash
# ab-compare.sh: compare two builds of prizequiz on a machine whose speed
# drifts (see docs/benchmarks-history.md, session 5). Both run at the same
# time, each with its own server, scratch PostgreSQL database and 32-player
# load tool, so a slow minute slows both; the ratio of their rates is the
# comparison. Run it in both orders. Fair for changes of efficiency only: a
# build that keeps more statements in flight takes a bigger share of the
# shared CPU and wins by that alone.
#
#   go build -o /tmp/old ./cmd/prizequiz   # on the old commit
#   go build -o /tmp/new ./cmd/prizequiz
#   scripts/ab-compare.sh /tmp/old /tmp/new; scripts/ab-compare.sh /tmp/new /tmp/old
#
# Env: PGBASE (default postgres://postgres@127.0.0.1:5432), DUR (20s),
# ENV_A / ENV_B (one VAR=value for that side's server, e.g. GOGC=400).
set -euo pipefail
A=$1 B=$2
PGBASE=${PGBASE:-postgres://postgres@127.0.0.1:5432}
export PRIZEQUIZ_ADMIN_PASSWORD=ab-compare-password-1
D=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$D"' EXIT
ticks() { awk '{print $14+$15}' "/proc/$1/stat"; }
declare -A SP LP BIN PORT EV
BIN[a]=$A BIN[b]=$B PORT[a]=18097 PORT[b]=18098 EV[a]=${ENV_A:-AB_SIDE=a} EV[b]=${ENV_B:-AB_SIDE=b}
for x in a b; do
  if curl -sf "http://127.0.0.1:${PORT[$x]}/readyz" >/dev/null; then echo "port ${PORT[$x]} is busy" >&2; exit 1; fi
  PGOPTIONS="-c client_min_messages=warning" psql -q "$PGBASE/postgres" -c "DROP DATABASE IF EXISTS ab_$x" -c "CREATE DATABASE ab_$x" >/dev/null
  (cd "$D" && exec env "${EV[$x]}" "${BIN[$x]}" serve --addr "127.0.0.1:${PORT[$x]}" \
    --database-url "$PGBASE/ab_$x?sslmode=disable" --demo --rate-limits=false >"$D/serve_$x.log" 2>&1) &
  SP[$x]=$!
done
for x in a b; do
  for _ in $(seq 150); do curl -sf "http://127.0.0.1:${PORT[$x]}/readyz" >/dev/null && break; sleep 0.2; done
done
for x in a b; do
  "${BIN[$x]}" load --url "http://127.0.0.1:${PORT[$x]}" --mode closed --concurrency 32 --duration "${DUR:-20s}" \
    --warmup 5s --correct 0.8 --admin-password "$PRIZEQUIZ_ADMIN_PASSWORD" --json --quiet >"$D/load_$x.json" &
  LP[$x]=$!
done
sleep 7
s0a=$(ticks "${SP[a]}") s0b=$(ticks "${SP[b]}")
sleep 10
s1a=$(ticks "${SP[a]}") s1b=$(ticks "${SP[b]}")
wait "${LP[a]}" "${LP[b]}"
kill "${SP[a]}" "${SP[b]}"; wait "${SP[a]}" "${SP[b]}" 2>/dev/null || true
for x in a b; do PGOPTIONS="-c client_min_messages=warning" psql -q "$PGBASE/postgres" -c "DROP DATABASE IF EXISTS ab_$x" >/dev/null; done
python3 - "$D" "$s0a" "$s1a" "$s0b" "$s1b" <<'PY'
import json, sys
d = sys.argv[1]
s0a, s1a, s0b, s1b = map(int, sys.argv[2:])
ra = json.load(open(d + "/load_a.json"))["perSecond"]
rb = json.load(open(d + "/load_b.json"))["perSecond"]
# /proc ticks are 1/100 s; the window is 10 s.
print(f"A {ra:.0f}/s (server {(s1a-s0a)*1e4/(ra*10):.0f} µs CPU per attempt)  "
      f"B {rb:.0f}/s (server {(s1b-s0b)*1e4/(rb*10):.0f} µs)  B/A {rb/ra:.3f}")
PY
