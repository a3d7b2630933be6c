package org.kaffee.solver;

import java.nio.FloatBuffer;
import org.kaffee.core.Blob;
import org.kaffee.kernels.Parallel;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * SGD's whole update of one float32 param in one pass over its memory: normalize by iter_size,
 * L2 decay, momentum, {@code data -= update}. The separate steps are five BLAS calls over the
 * blob (scal, axpy, scal + axpy, copy, axpy), each an ND4J call and a walk through memory. The
 * pass does the same float32 operations in the same order, each axpy as one fused multiply-add.
 * OpenBLAS's axpy (under ND4J) fuses only in its vector blocks and rounds twice in the tail
 * (with its Haswell kernel: the last n mod 32 elements), and which kernel it runs depends on the
 * processor: the pass rounds the same way on every machine. Chunks of the param run on the
 * cores ({@link Parallel}); every element is computed alone, so the split changes no value.
 * On a busy machine (load 12-16 on 2 cores) LeNet's update measured about the same time either
 * way, alternated four times; a quiet machine's figure is still to be taken.
 */
final class SgdInOnePass {
  /**
   * Values per chunk: the pass copies chunks of the native arrays into Java arrays, whose loop
   * C2 compiles far better than element-by-element buffer access (which ran at half the BLAS
   * steps' speed).
   */
  private static final int CHUNK = 4096;
  private static final ThreadLocal<Chunk> CHUNKS = ThreadLocal.withInitial(Chunk::new);

  private SgdInOnePass() {
  }

  /** One chunk of a param's weights, gradients and momentum, updated in place. */
  private static final class Chunk {
    final float[] weights = new float[CHUNK];
    final float[] grads = new float[CHUNK];
    final float[] moments = new float[CHUNK];

    void update(int len, float rate, float momentum, float decay, float normalizer) {
      // no branch in the loop, so that it vectorizes: times 1 and a decay of 0 change no value
      for (int i = 0; i < len; i++) {
        float grad = Math.fma(decay, weights[i], grads[i] * normalizer);
        float update = Math.fma(rate, grad, momentum * moments[i]);
        moments[i] = update;
        weights[i] -= update;
      }
    }
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
    // each element on its own: how the chunks fall on the cores changes no value
    Parallel.forRange((n + CHUNK - 1) / CHUNK, (worker, first, last) -> {
      Chunk c = CHUNKS.get();
      for (int from = first * CHUNK; from < Math.min(n, last * CHUNK); from += CHUNK) {
        int len = Math.min(CHUNK, n - from);
        weights.get(from, c.weights, 0, len);
        grads.get(from, c.grads, 0, len);
        moments.get(from, c.moments, 0, len);
        c.update(len, rate, momentum, decay, normalizer);
        moments.put(from, c.moments, 0, len);
        grads.put(from, c.moments, 0, len); // Caffe leaves the update in the diff
        weights.put(from, c.weights, 0, len);
      }
    });
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
