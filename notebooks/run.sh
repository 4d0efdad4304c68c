#!/usr/bin/env bash
# Regenerates the inputs of the notebooks from a fresh Vigil run, then executes every notebook
# headless and in place (figures included), so that the committed notebooks show that run.
# Not part of `mvn verify`.
#
#   notebooks/run.sh              # evaluations + analyze; the demo sweep is reused if recorded
#   notebooks/run.sh --sweep      # ... and record the latency demo sweep again (about 30 min, one demo at a time)
#   notebooks/run.sh --no-inputs  # only re-execute the notebooks on the inputs already there
#
# Needs Java 17 and Maven (for ./vigil), and Debian's jupyter-notebook, python3-nbconvert,
# python3-matplotlib. Inputs go to target/notebooks/ (NAB, Nezha, analyze) and
# target/demo-sweep/latency/ (the sweep), never into git.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
inputs="$here/target/notebooks"
nab_data="${NAB_DATA:-$here/../shared/datasets/nab}"
nezha_data="${NEZHA_DATA:-$here/../shared/datasets/nezha-trainticket}"
# The case whose incident notebooks/incident.ipynb shows (a CPU contention in ts-food-service).
incident_case="${INCIDENT_CASE:-2023-01-29T144957}"
sweep=no
regenerate=yes
for arg in "$@"; do
  case "$arg" in
    --sweep) sweep=yes ;;
    --no-inputs) regenerate=no ;;
    *) echo "usage: notebooks/run.sh [--sweep] [--no-inputs]" >&2; exit 2 ;;
  esac
done

if [[ "$regenerate" == yes ]]; then
  "$here/vigil" help >/dev/null   # builds the jar if a source is newer
  rm -rf "$inputs"
  mkdir -p "$inputs"
  # A private copy of the jar, so that a rebuild cannot change it half-way.
  cp "$here/service/target/vigil.jar" "$inputs/vigil.jar"
  vigil() { java ${VIGIL_JAVA_OPTS:--Xmx2g} -jar "$inputs/vigil.jar" "$@"; }
  {
    echo "commit $(git -C "$here" rev-parse --short HEAD)$(git -C "$here" diff --quiet || echo ' (with local changes)')"
    echo "date $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "load before $(cut -d' ' -f1-3 /proc/loadavg)"
  } >"$inputs/run-info.txt"
  echo "notebooks: evaluate nab" >&2
  vigil evaluate nab --data "$nab_data" --out "$inputs/nab" >"$inputs/nab.txt"
  echo "notebooks: evaluate nezha" >&2
  vigil evaluate nezha --data "$nezha_data" --out "$inputs/nezha" --keep-otlp >"$inputs/nezha.txt"
  echo "notebooks: analyze $incident_case without a time (Vigil locates the incident)" >&2
  vigil analyze --input "$inputs/nezha/otlp/$incident_case" --json >"$inputs/incident-located.json"
  echo "notebooks: analyze $incident_case at its labelled injection time" >&2
  time=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["injectTime"])' \
    "$inputs/nezha/cases/$incident_case.json")
  vigil analyze --input "$inputs/nezha/otlp/$incident_case" --incident-time "$time" --json \
    >"$inputs/incident.json"
  echo "$incident_case" >"$inputs/incident-case.txt"
  if [[ "$sweep" == yes ]]; then
    echo "notebooks: demo sweep (latency)" >&2
    mkdir -p "$here/target/demo-sweep"
    {
      head -1 "$inputs/run-info.txt"
      echo "command scripts/demo-sweep latency 150 1"
      echo "started $(date -u +%Y-%m-%dT%H:%M:%SZ), one demo at a time, load average $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
    } >"$here/target/demo-sweep/latency-info.txt"
    SWEEP_JAR="$inputs/vigil.jar" "$here/scripts/demo-sweep" latency 150 1 \
      >"$here/target/demo-sweep/latency.txt" || true   # misses are data here, not a failure
    echo "ended $(date -u +%Y-%m-%dT%H:%M:%SZ), load average $(cut -d' ' -f1-3 /proc/loadavg)" \
      >>"$here/target/demo-sweep/latency-info.txt"
  fi
  echo "load after $(cut -d' ' -f1-3 /proc/loadavg)" >>"$inputs/run-info.txt"
fi

cd "$here/notebooks"
export PYDEVD_DISABLE_FILE_VALIDATION=1
for nb in nab.ipynb nezha.ipynb incident.ipynb demo-sweep.ipynb; do
  echo "notebooks: executing $nb" >&2
  jupyter nbconvert --execute --to notebook --inplace --ExecutePreprocessor.timeout=600 "$nb"
done
