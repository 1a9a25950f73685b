#!/usr/bin/env bash
# The router benchmark: Manifold against nginx and HAProxy on the same three dynos, interleaved.
# One command from the repository's root:   bench/run.sh
# Knobs (environment): DUR, REPS, RATE, PHASES, WARMUP, MANIFOLD_JAVA_OPTS, NOTE ... (see bench.py).
# Installs nginx-light, haproxy and wrk from Debian when missing, builds cli/target/manifold.jar
# when it is stale, and takes HdrHistogram from the local Maven repository (fetched by the Maven
# wrapper when missing). Traffic goes to 127.0.0.1 only; a full run takes about 20 minutes.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"

missing=()
command -v nginx >/dev/null || missing+=(nginx-light)
command -v haproxy >/dev/null || missing+=(haproxy)
command -v wrk >/dev/null || missing+=(wrk)
if ((${#missing[@]})); then
  echo "bench: installing ${missing[*]}" >&2
  sudo=""; [[ $(id -u) -ne 0 ]] && sudo="sudo"
  $sudo apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q "${missing[@]}" >/dev/null
fi

# builds the jar when missing or stale (the manifold script's own check)
"$root/manifold" --help >/dev/null

hdr_version="$(sed -n 's:.*<hdrhistogram.version>\(.*\)</hdrhistogram.version>.*:\1:p' "$root/pom.xml")"
repo="${M2_REPO:-$HOME/.m2/repository}"
hdr="$repo/org/hdrhistogram/HdrHistogram/$hdr_version/HdrHistogram-$hdr_version.jar"
if [[ ! -f "$hdr" ]]; then
  (cd "$root" && ./mvnw -q -B dependency:get -Dartifact="org.hdrhistogram:HdrHistogram:$hdr_version")
fi

HDR_JAR="$hdr" exec python3 "$here/bench.py"
