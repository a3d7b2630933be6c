#!/usr/bin/python3
"""OpenCV dnn's side of bench/mobilenet_ssd_time.sh: the mean forward time of a Caffe deploy net
(read by cv2.dnn.readNetFromCaffe, OpenCV's own CPU backend) on an all-zero input, as `kaffee
time` feeds it, after warm-up. Prints `opencv_forward_ms X` and the detections of the last pass.
  /usr/bin/python3 mobilenet_ssd_cv2.py NET.prototxt WEIGHTS.caffemodel ITERATIONS
"""
import sys
import time

import cv2
import numpy as np


def main(prototxt, weights, iterations):
    net = cv2.dnn.readNetFromCaffe(prototxt, weights)
    net.setPreferableBackend(cv2.dnn.DNN_BACKEND_OPENCV)
    net.setPreferableTarget(cv2.dnn.DNN_TARGET_CPU)
    net.setInput(np.zeros((1, 3, 300, 300), np.float32))
    for _ in range(max(2, iterations // 5)):
        out = net.forward()
    start = time.perf_counter()
    for _ in range(iterations):
        out = net.forward()
    elapsed = (time.perf_counter() - start) * 1000 / iterations
    print(f"opencv_forward_ms {elapsed:.3f}")
    print(f"opencv_detections {int((out[0, 0, :, 2] > 0).sum())}")
    print(f"opencv_threads {cv2.getNumThreads()}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
