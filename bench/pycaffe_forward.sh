#!/usr/bin/env bash
# LeNet deploy (batch 64) forward: caffe.Net.forward() from Python against Network.forward in a
# JVM without Python, in the same run (target: Python within 1.1x of Java), and the cost of one
# call of a Python layer (forward of an Input net with one Python layer minus the Input net alone),
# and the cost of one Blob.data access. ITERS (default 200) forwards each, after warm-up.
source "$(dirname "$0")/common.sh"
iters="${ITERS:-200}"
model="$ROOT/models/lenet/lenet_deploy.prototxt"
jar="$ROOT/cli/target/kaffee-0.1.0.jar"
java_ms=$(java --add-opens java.base/java.nio=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED -Xss16m \
  -cp "$jar" "$ROOT/bench/NetworkForwardTime.java" "$model" "$iters")
py_out=$(PYTHONPATH="$ROOT/python:$ROOT/python/test" GLOG_minloglevel=1 /usr/bin/python3 \
  "$ROOT/bench/pycaffe_forward.py" "$model" "$iters")
py_ms=$(awk '/^python_forward_ms/ {print $2}' <<<"$py_out")
call_us=$(awk '/^python_layer_call_us/ {print $2}' <<<"$py_out")
base_us=$(awk '/^net_forward_input_only_us/ {print $2}' <<<"$py_out")
access_us=$(awk '/^blob_data_access_us/ {print $2}' <<<"$py_out")
echo "lenet deploy forward batch 64: python $py_ms ms, java $java_ms ms, ratio $(ratio "$py_ms" "$java_ms") (target <= 1.1)"
echo "one Python layer call: $call_us us (forward of the Input net alone: $base_us us)"
echo "one Blob.data access: $access_us us"
