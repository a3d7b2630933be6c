package org.kaffee.solver;

import java.nio.FloatBuffer;
import org.kaffee.core.Blob;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * SGD's whole update of one float32 param in one pass over its memory: normalize by iter_size,
 * L2 decay, momentum, {@code data -= update}. The separate steps are five BLAS calls over the
 * blob (scal, axpy, scal + axpy, copy, axpy), each an ND4J call and a walk through memory. The
 * pass does the same float32 operations in the same order, each axpy as one fused multiply-add.
 * OpenBLAS's axpy (under ND4J) fuses only in its vector blocks and rounds twice in the tail
 * (with its Haswell kernel: the last n mod 32 elements), and which kernel it runs depends on the
 * processor: the pass rounds the same way on every machine.
 */
final class SgdInOnePass {
  private SgdInOnePass() {
  }

  /**
   * Updates {@code param} and its momentum {@code history} with the param's learning rate and
   * L2 decay, the gradient first scaled by {@code normalizer} (1 for iter_size 1); false when
   * the blobs are not contiguous float32 arrays and nothing was done.
   */
  static boolean apply(Blob param, Blob history, float rate, float momentum, float decay, float normalizer) {
    INDArray w = param.data();
    INDArray g = param.diff();
    INDArray h = history.data();
    if (!plainFloats(w) || !plainFloats(g) || !plainFloats(h)) {
      return false;
    }
    FloatBuffer weights = floats(w);
    FloatBuffer grads = floats(g);
    FloatBuffer moments = floats(h);
    int n = (int) w.length();
    for (int i = 0; i < n; i++) {
      float grad = grads.get(i);
      if (normalizer != 1f) {
        grad *= normalizer;
      }
      float weight = weights.get(i);
      if (decay != 0f) {
        grad = Math.fma(decay, weight, grad);
      }
      float update = Math.fma(rate, grad, momentum * moments.get(i));
      moments.put(i, update);
      grads.put(i, update); // Caffe leaves the update in the diff
      weights.put(i, weight - update);
    }
    return true;
  }

  private static boolean plainFloats(INDArray a) {
    return a.dataType() == DataType.FLOAT && a.ordering() == 'c' && a.elementWiseStride() == 1;
  }

  /** The array's elements, from its first one. */
  private static FloatBuffer floats(INDArray a) {
    FloatBuffer all = a.data().asNioFloat();
    return all.position((int) a.offset()).slice();
  }
}
