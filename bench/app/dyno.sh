#!/bin/sh
# One benchmark dyno: nginx with 1 worker on $PORT, answering `return 200` with a 100-byte body
# (PROXY-BASELINE.md's backend). Writes its port and pid where bench.py finds them, then becomes
# nginx, so that Manifold's SIGTERM stops it.
set -eu
run="${BENCH_RUN:?BENCH_RUN: the benchmark's scratch directory}"
dir="$run/dynos/$DYNO"
mkdir -p "$dir/logs" "$dir/tmp" "$run/ports"
sed -e "s/@PORT@/$PORT/" -e "s#@DIR@#$dir#g" "$(dirname "$0")/../conf/nginx-dyno.conf" > "$dir/nginx.conf"
echo "$PORT $$" > "$run/ports/$DYNO"
exec nginx -p "$dir" -c "$dir/nginx.conf"
