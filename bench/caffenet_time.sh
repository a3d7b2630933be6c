#!/usr/bin/env bash
# CaffeNet deploy batch 10, forward, in the TEST phase (no dropout, as PyTorch's eval()): kaffee
# time vs PyTorch at its best configuration (target ratio <= 0.5), cold (10 passes after one)
# and warm (10 passes after 21, on both sides).
source "$(dirname "$0")/common.sh"
time_pair "caffenet forward batch 10" caffenet "$ROOT/models/deploy/caffenet_deploy.prototxt" 10 "${WARMUP:-20}" "<= 0.5" --phase=TEST
