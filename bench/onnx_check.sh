#!/usr/bin/env bash
# Exports the example deploy nets with export_onnx and reads each file back with two other
# ONNX readers: the onnx package's checker and OpenCV's dnn module (Debian's python3-onnx and
# python3-opencv, installed when missing). Numeric equality with Kaffee's forward is checked
# by the unit suite through ONNX Runtime; this checks the files are standard ONNX.
#   bash bench/onnx_check.sh [NET.prototxt ...]
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
if ! /usr/bin/python3 -c "import onnx, cv2" 2>/dev/null; then
  echo "installing python3-onnx and python3-opencv (Debian)..." >&2
  apt-get install -y -qq python3-onnx python3-opencv >&2
fi
nets=("$@")
if [[ ${#nets[@]} == 0 ]]; then
  nets=(models/lenet/lenet_deploy.prototxt models/deploy/caffenet_deploy.prototxt
        models/deploy/googlenet_deploy.prototxt models/deploy/resnet18_deploy.prototxt)
fi
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
for net in "${nets[@]}"; do
  file="$out/$(basename "$net" .prototxt).onnx"
  "$KAFFEE" export_onnx --model="$ROOT/$net" "$file" 2>/dev/null
  /usr/bin/python3 - "$file" <<'PY'
import sys, onnx, cv2, numpy as np
path = sys.argv[1]
model = onnx.load(path)
onnx.checker.check_model(model)
shape = [d.dim_value for d in model.graph.input[0].type.tensor_type.shape.dim]
net = cv2.dnn.readNetFromONNX(path)
net.setInput(np.random.default_rng(0).uniform(-1, 1, shape).astype(np.float32))
out = net.forward()
print(f"{path.rsplit('/', 1)[-1]}: onnx.checker ok (opset {model.opset_import[0].version},"
      f" {len(model.graph.node)} nodes); OpenCV dnn {cv2.__version__} forward -> {list(out.shape)}")
PY
done
