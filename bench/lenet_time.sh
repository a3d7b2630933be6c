#!/usr/bin/env bash
# LeNet batch 64, forward + backward: kaffee time vs PyTorch at its best configuration (target
# ratio <= 0.4), cold (50 passes after one) and warm (50 passes after 301, on both sides).
source "$(dirname "$0")/common.sh"
time_pair "lenet forward-backward batch 64" lenet "$ROOT/models/lenet/lenet_time.prototxt" 50 "${WARMUP:-300}" "<= 0.4"
