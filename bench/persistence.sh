#!/usr/bin/env bash
# The control plane's figures: acknowledged commands per second and the recovery of an app with
# 10,000 events (from a snapshot, and by full replay), on the embedded H2 file and, when a
# PostgreSQL server can be started here (root, Debian's package), on PostgreSQL.
# Usage: bench/persistence.sh          (about 1 to 2 minutes)
set -euo pipefail
cd "$(dirname "$0")/.."
pgdir="$(mktemp -d)"
trap '.ci/postgres stop "$pgdir"' EXIT
if [ -z "${MANIFOLD_PG_URL:-}" ] && [ "$(id -u)" = 0 ] && pg_url="$(.ci/postgres start "$pgdir" 54331)"; then
  export MANIFOLD_PG_URL="$pg_url"
fi
out="$(mktemp)"
if ./mvnw -B -pl cluster -am test -Dsurefire.excludedGroups= -Dgroups=bench -Dtest=PersistenceBenchmark \
    -Dsurefire.failIfNoSpecifiedTests=false >"$out" 2>&1; then
  grep '^\[RESULT\]' "$out"
else
  tail -40 "$out"
  exit 1
fi
