#!/usr/bin/env bash
# Coverage-guided fuzzing of every file reader (Jazzer): each target in engine/src/test/java/org/kaffee/fuzz
# runs for FuzzRule.BUDGET (2 minutes) and the script reports its executions and findings.
# A finding is an input that made a reader throw something other than a KaffeeException with a
# message, run out of memory, hang or run slowly; Jazzer saves it as crash-, oom-, timeout- or
# slow-unit-<sha1> next to the target's committed corpus
# (engine/src/test/resources/org/kaffee/fuzz/<Target>Inputs/), where `mvn -B verify` replays it from
# then on. Fix the reader, rerun.
#   bash bench/fuzz.sh                       # all targets
#   TARGETS="LmdbFuzzTest" bash bench/fuzz.sh
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
TARGETS=${TARGETS:-"PrototxtFuzzTest BinaryProtoFuzzTest DatumFuzzTest LmdbFuzzTest LmdbNativeFuzzTest LmdbCommandFuzzTest LevelDbFuzzTest LevelDbCommandFuzzTest Hdf5ListFuzzTest Hdf5CommandFuzzTest MnistIdxFuzzTest ParseLogFuzzTest AnnotationFuzzTest"}
INPUTS=engine/src/test/resources/org/kaffee/fuzz
mkdir -p target/fuzz
mvn -B -q -pl engine test-compile || exit 1
# what Jazzer saves: crashes (any escaping exception), and inputs that ran too long or too big
findings() {
  ls "$INPUTS/${1}Inputs"/*/{crash,timeout,slow-unit,oom}-* 2>/dev/null | sort
}
printf '%-22s %12s %8s  %s\n' target executions seconds findings
total_findings=0
for t in $TARGETS; do
  log=target/fuzz/$t.log
  before=$(findings "$t")
  start=$(date +%s)
  # coverage of Kaffee and the format libraries it reads with; not of ND4J (slow to instrument)
  JAZZER_FUZZ=1 mvn -B -o -pl engine test -Dtest="$t" -Djazzer.hooks=true \
    -Djazzer.instrument='org.kaffee.**,com.google.protobuf.**,io.jhdf.**,org.iq80.**' \
    -Dsurefire.failIfNoSpecifiedTests=false >"$log" 2>&1
  seconds=$(( $(date +%s) - start ))
  # libFuzzer's status lines start with #<executions>; "Done N runs" ends a run that found nothing
  execs=$(grep -oE '^(#[0-9]+|Done [0-9]+)' "$log" | grep -oE '[0-9]+' | tail -1)
  after=$(findings "$t")
  new=$(comm -13 <(echo "$before") <(echo "$after") | grep . | xargs -r -n1 basename | tr '\n' ' ')
  if [ -n "$new" ]; then
    total_findings=$((total_findings + 1))
    what=$(grep -m1 -oE '(== Java Exception: |Exception: |Error: )[^ ]+.*' "$log" | cut -c1-100)
    new="$new($what)"
  fi
  printf '%-22s %12s %8s  %s\n' "$t" "${execs:-?}" "$seconds" "${new:-none}"
done
echo "targets with findings: $total_findings (logs in target/fuzz/)"
[ "$total_findings" -eq 0 ]
