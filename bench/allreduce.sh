#!/usr/bin/env bash
# The gradient all-reduce between two ranks for LeNet (431 080 params + 3 exchanged scalars):
# Kaffee's TCP ring on 127.0.0.1 against the baseline it replaces, a Spark treeAggregate
# through the driver (local[2]; MASTER=spark://... for a cluster). ROUNDS=50 by default.
source "$(dirname "$0")/common.sh"
cd "$ROOT"
rounds="${ROUNDS:-50}"
# the benchmark is a test class of the spark module: build it (and copy Spark's jars) outside the timing
mvn -B -q -DskipTests package >&2
cp="$ROOT/spark/target/test-classes:$ROOT/cli/target/kaffee-0.1.0.jar:$ROOT/cli/target/spark-lib/*"
ring=$(java -cp "$cp" org.kaffee.spark.AllReduceBenchmark ring 431083 "$rounds" 2>/dev/null | tail -1)
tree=$(java -cp "$cp" org.kaffee.spark.AllReduceBenchmark tree 431083 $((rounds / 5 + 1)) "${MASTER:-local[2]}" 2>/dev/null | tail -1)
echo "$ring"
echo "$tree"
r=$(sed -E 's/.*: ([0-9.]+) ms.*/\1/' <<<"$ring")
t=$(sed -E 's/.*: ([0-9.]+) ms.*/\1/' <<<"$tree")
echo "treeAggregate / ring: $(ratio "$t" "$r")"
