package org.kaffee.layers.loss;

import org.kaffee.core.DataView;

/**
 * The softmax the softmax-based losses compute internally (Caffe runs a Softmax layer
 * inside them): over the channel axis of an {@code [outer, channels, inner]} view, with the
 * maximum subtracted before the exponential. No allocation.
 */
final class Softmax {
  private Softmax() {
  }

  static void forward(DataView in, DataView out, int outerNum, int channels, int innerNum) {
    int dim = channels * innerNum;
    for (int i = 0; i < outerNum; i++) {
      int base = i * dim;
      for (int k = 0; k < innerNum; k++) {
        double max = in.get(base + k);
        for (int c = 1; c < channels; c++) {
          max = Math.max(max, in.get(base + c * innerNum + k));
        }
        double sum = 0;
        for (int c = 0; c < channels; c++) {
          int idx = base + c * innerNum + k;
          double e = Math.exp(in.get(idx) - max);
          out.set(idx, e);
          sum += e;
        }
        for (int c = 0; c < channels; c++) {
          int idx = base + c * innerNum + k;
          out.set(idx, out.get(idx) / sum);
        }
      }
    }
  }
}
