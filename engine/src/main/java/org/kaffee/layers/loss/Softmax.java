package org.kaffee.layers.loss;

import org.kaffee.core.DataView;

/**
 * The softmax the softmax-based losses compute internally (Caffe runs a Softmax layer
 * inside them): over the channel axis of an {@code [outer, channels, inner]} view, with the
 * per-position maximum subtracted before the exponential. Memory is walked in order (one
 * plane of {@code inner} values per channel), with per-position scratch kept between calls.
 */
final class Softmax {
  private double[] max = new double[0];
  private double[] sum = new double[0];

  void forward(DataView in, DataView out, int outerNum, int channels, int innerNum) {
    if (max.length < innerNum) {
      max = new double[innerNum];
      sum = new double[innerNum];
    }
    int dim = channels * innerNum;
    for (int i = 0; i < outerNum; i++) {
      int base = i * dim;
      for (int k = 0; k < innerNum; k++) {
        max[k] = in.get(base + k);
        sum[k] = 0;
      }
      for (int c = 1; c < channels; c++) {
        int plane = base + c * innerNum;
        for (int k = 0; k < innerNum; k++) {
          max[k] = Math.max(max[k], in.get(plane + k));
        }
      }
      for (int c = 0; c < channels; c++) {
        int plane = base + c * innerNum;
        for (int k = 0; k < innerNum; k++) {
          double e = Math.exp(in.get(plane + k) - max[k]);
          out.set(plane + k, e);
          sum[k] += e;
        }
      }
      for (int c = 0; c < channels; c++) {
        int plane = base + c * innerNum;
        for (int k = 0; k < innerNum; k++) {
          out.set(plane + k, out.get(plane + k) / sum[k]);
        }
      }
    }
  }
}
