package org.kaffee.solver;

import java.nio.FloatBuffer;
import java.util.function.Supplier;
import org.kaffee.core.Blob;
import org.kaffee.kernels.Parallel;
import org.kaffee.proto.Caffe.SolverParameter;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The whole update of one float32 param by a momentum rule (SGD, Nesterov) in one pass over its
 * memory: normalize by iter_size, L2 decay, the rule, {@code data -= update}. The separate steps
 * are five to seven BLAS calls over the blob, each an ND4J call and a walk through memory. The
 * pass does the same float32 operations in the same order, each axpy as one fused multiply-add.
 * OpenBLAS's axpy (under ND4J) fuses only in its vector blocks and rounds twice in the tail
 * (with its Haswell kernel: the last n mod 32 elements), and which kernel it runs depends on the
 * processor: the pass rounds the same way on every machine. Chunks of the param run on the
 * cores ({@link Parallel}); every element is computed alone, so the split changes no value.
 * On a busy machine (load 12-16 on 2 cores) LeNet's SGD update measured about the same time
 * either way, alternated four times; a quiet machine's figure is still to be taken.
 */
final class MomentumInOnePass {
  /**
   * Values per chunk: the pass copies chunks of the native arrays into Java arrays, whose loop
   * C2 compiles far better than element-by-element buffer access (which ran at half the BLAS
   * steps' speed).
   */
  private static final int CHUNK = 4096;

  /** The rules, each with its chunks (one per thread). */
  enum Rule {
    SGD(Sgd::new), NESTEROV(Nesterov::new);

    private final ThreadLocal<Chunk> chunks;

    Rule(Supplier<Chunk> chunk) {
      chunks = ThreadLocal.withInitial(chunk);
    }
  }

  /** A rule's arguments for one param: learning rate, momentum, L2 decay, 1 / iter_size. */
  private record Step(float rate, float momentum, float decay, float normalizer) {
  }

  private MomentumInOnePass() {
  }

  /**
   * One chunk of a param's weights, gradients and momentum, which {@link #update} changes in
   * place, leaving the update in the gradients (Caffe leaves it in the diff). Each rule's loop
   * has no branch, so that it vectorizes: times 1 and a decay of 0 change no value.
   */
  private abstract static class Chunk {
    final float[] weights = new float[CHUNK];
    final float[] grads = new float[CHUNK];
    final float[] moments = new float[CHUNK];

    abstract void update(int len, Step s);
  }

  /** Caffe's SGD: {@code h = momentum h + rate g; w -= h}. */
  private static final class Sgd extends Chunk {
    @Override
    void update(int len, Step s) {
      float decay = s.decay;
      float normalizer = s.normalizer;
      float rate = s.rate;
      float momentum = s.momentum;
      for (int i = 0; i < len; i++) {
        float grad = Math.fma(decay, weights[i], grads[i] * normalizer);
        float update = Math.fma(rate, grad, momentum * moments[i]);
        moments[i] = update;
        grads[i] = update;
        weights[i] -= update;
      }
    }
  }

  /** Caffe's Nesterov: {@code h' = momentum h + rate g; u = (1 + momentum) h' - momentum h; w -= u}. */
  private static final class Nesterov extends Chunk {
    @Override
    void update(int len, Step s) {
      float decay = s.decay;
      float normalizer = s.normalizer;
      float rate = s.rate;
      float momentum = s.momentum;
      float ahead = 1f + momentum;
      for (int i = 0; i < len; i++) {
        float grad = Math.fma(decay, weights[i], grads[i] * normalizer);
        float old = moments[i];
        float moment = Math.fma(rate, grad, momentum * old);
        float update = Math.fma(ahead, moment, -momentum * old);
        moments[i] = moment;
        grads[i] = update;
        weights[i] -= update;
      }
    }
  }

  /**
   * The rule's update of {@code param} and its momentum {@code history}, at the solver's
   * {@code rate} times the param's multiplier; false when nothing was done: L1 decay, or blobs
   * that are not contiguous float32 arrays (left to the separate steps).
   */
  static boolean apply(Rule rule, SolverParameter param, Blob p, Blob history, float rate, float lrMult,
      float decayMult) {
    float decay = param.getWeightDecay() * decayMult;
    if (decay != 0 && !param.getRegularizationType().equals("L2")) {
      return false;
    }
    float normalizer = param.getIterSize() == 1 ? 1f : 1f / param.getIterSize();
    return apply(p, history, rule.chunks::get, new Step(rate * lrMult, param.getMomentum(), decay, normalizer));
  }

  private static boolean apply(Blob param, Blob history, Supplier<Chunk> chunks, Step step) {
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
      Chunk c = chunks.get();
      for (int from = first * CHUNK; from < Math.min(n, last * CHUNK); from += CHUNK) {
        int len = Math.min(CHUNK, n - from);
        weights.get(from, c.weights, 0, len);
        grads.get(from, c.grads, 0, len);
        moments.get(from, c.moments, 0, len);
        c.update(len, step);
        moments.put(from, c.moments, 0, len);
        grads.put(from, c.grads, 0, len);
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
