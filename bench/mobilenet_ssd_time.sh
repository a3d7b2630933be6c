#!/usr/bin/env bash
# MobileNet-SSD 300x300 (chuanqi305's deploy layout, models/mobilenet_ssd), batch 1, forward:
# kaffee time against OpenCV 4.6's dnn (Debian python3-opencv, installed when missing) in the
# same run, both on the same seeded random weights (generated here, nothing downloaded) and an
# all-zero input. ITERS forwards each (default 50), after warm-up; the ratio is Kaffee / OpenCV.
#   bash bench/mobilenet_ssd_time.sh          ITERS=5 bash bench/mobilenet_ssd_time.sh
source "$(dirname "$0")/common.sh"
iters="${ITERS:-50}"
if ! /usr/bin/python3 -c "import cv2, google.protobuf" 2>/dev/null; then
  echo "installing python3-opencv and python3-protobuf (Debian)..." >&2
  apt-get install -y -qq python3-opencv python3-protobuf protobuf-compiler >&2
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
model="$ROOT/models/mobilenet_ssd/mobilenet_ssd_deploy.prototxt"
/usr/bin/python3 "$ROOT/models/mobilenet_ssd/generate.py" --weights "$work/weights.caffemodel" --seed 1
out=$("$KAFFEE" time --model="$model" --weights="$work/weights.caffemodel" --iterations="$iters" 2>&1)
k=$(kaffee_ms "$out" "Average Forward pass:")
cv=$(/usr/bin/python3 "$ROOT/bench/mobilenet_ssd_cv2.py" "$model" "$work/weights.caffemodel" "$iters")
o=$(awk '/^opencv_forward_ms/ {print $2}' <<<"$cv")
threads=$(awk '/^opencv_threads/ {print $2}' <<<"$cv")
echo "mobilenet-ssd 300x300 forward batch 1: kaffee $k ms, opencv dnn $o ms ($threads threads), ratio $(ratio "$k" "$o")"
