#!/usr/bin/env bash
# Crash safety: SIGKILLs `kaffee train` at random moments (KILLS times, some inside snapshot
# writes), resuming from the newest snapshot after each; checks after every kill that the
# newest caffemodel/solverstate pair loads and is of one iteration, that no final-named file
# is partial, and that every resumed series ends with the uninterrupted run's weights, byte
# for byte, having logged the same losses. The data (13 LMDB records, 8 per iteration, mirrored,
# through Dropout) makes the snapshots, every 3 iterations, fall mid-epoch. The unit suite runs
# the same harness with 3 kills (CrashHarnessTest).
#   bash bench/crash_kill.sh [--kills=N | N] [--seed=S | S]      (N = 50, S = 1 by default)
source "$(dirname "$0")/common.sh"
cd "$ROOT"
KILLS=50
SEED=1
positional=0
for arg in "$@"; do
  case "$arg" in
    --kills=*) KILLS=${arg#--kills=} ;;
    --seed=*) SEED=${arg#--seed=} ;;
    *) if [ $positional -eq 0 ]; then KILLS=$arg; else SEED=$arg; fi; positional=$((positional + 1)) ;;
  esac
done
mvn -B -q -DskipTests package >&2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
# copies of the classes, so that a rebuild during the run cannot change what the runs load;
# absolute paths, since the harness starts each run with this class path in the run's directory
mkdir "$dir/cp"
mkdir "$dir/cp/engine-tests"
cp -r cli/target/classes cli/target/test-classes cli/target/lib "$dir/cp/"
cp -r engine/target/test-classes/. "$dir/cp/engine-tests/"
java -cp "$dir/cp/test-classes:$dir/cp/engine-tests:$dir/cp/classes:$dir/cp/lib/*" \
  --add-opens java.base/java.nio=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED \
  org.kaffee.reliability.CrashHarness "$dir" "$KILLS" "$SEED"
