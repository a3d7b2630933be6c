#!/usr/bin/env bash
# GoogLeNet deploy batch 10, forward, in the TEST phase (no dropout, as PyTorch's eval()): kaffee
# time vs PyTorch at its best configuration (target ratio <= 0.5), cold (5 passes after one)
# and warm (5 passes after 16, on both sides).
source "$(dirname "$0")/common.sh"
time_pair "googlenet forward batch 10" googlenet "$ROOT/models/deploy/googlenet_deploy.prototxt" 5 "${WARMUP:-15}" "<= 0.5" --phase=TEST
