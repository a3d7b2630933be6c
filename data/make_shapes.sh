#!/usr/bin/env bash
# Writes the synthetic detection set (coloured rectangles and circles on noise, VOC XML boxes) to
# data/shapes/ and converts it into data/shapes_trainval_lmdb and data/shapes_test_lmdb.
# Usage: bash data/make_shapes.sh [TRAIN_COUNT] [TEST_COUNT] [SIZE]   (defaults 200 50 64). Run from the repository root.
set -euo pipefail
train="${1:-200}"
test="${2:-50}"
size="${3:-64}"
if [[ ! -x tools/kaffee ]]; then
  echo "make_shapes.sh: run me from the Kaffee repository root (tools/kaffee not found)" >&2
  exit 1
fi
tools/kaffee --version >/dev/null  # builds the jar when needed
cp="cli/target/kaffee-0.1.0.jar"
java -cp "$cp" org.kaffee.tools.ShapesDataset data/shapes/trainval "$train" "$size" 1
java -cp "$cp" org.kaffee.tools.ShapesDataset data/shapes/test "$test" "$size" 2
for part in trainval test; do
  rm -rf "data/shapes_${part}_lmdb"
  tools/kaffee convert_annoset --anno_type=detection --label_type=xml \
    --label_map_file="data/shapes/$part/labelmap.prototxt" --encoded --encode_type=png \
    "data/shapes/$part/" "data/shapes/$part/list.txt" "data/shapes_${part}_lmdb"
done
echo "data/shapes_trainval_lmdb ($train images), data/shapes_test_lmdb ($test images), labels data/shapes/trainval/labelmap.prototxt"
