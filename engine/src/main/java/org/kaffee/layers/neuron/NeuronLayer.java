package org.kaffee.layers.neuron;

import java.util.Arrays;
import java.util.List;
import org.kaffee.core.Blob;
import org.kaffee.core.BlobCounts;
import org.kaffee.core.DataView;
import org.kaffee.core.Layer;
import org.kaffee.proto.Caffe.LayerParameter;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.Op;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarAdd;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarMax;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarMin;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarMultiplication;
import org.nd4j.linalg.api.ops.impl.scalar.Step;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Caffe's NeuronLayer: one bottom, one top of the same shape, computed element by element,
 * possibly in place (top == bottom). A subclass implements {@link #forwardValues} and
 * {@link #backwardValues} on whole arrays. When its backward reads the bottom values
 * ({@link #backwardReadsBottom}) and the layer runs in place, the bottom is copied into a
 * buffer before forward overwrites it, so backward stays right. Scratch buffers
 * ({@link #scratchBuffers}) are sized in reshape, never per pass.
 */
public abstract class NeuronLayer extends Layer {
  private final Buffer savedBottom = new Buffer();
  private Buffer[] scratch = new Buffer[0];
  private Op[] ops = new Op[0];
  private INDArray[] opX = new INDArray[0];
  private INDArray[] opZ = new INDArray[0];

  protected NeuronLayer(LayerParameter param) {
    super(param, BlobCounts.of(1, 1));
  }

  /** True when backward needs the bottom values (kept in a copy when the layer is in place). */
  protected boolean backwardReadsBottom() {
    return false;
  }

  /** How many bottom-shaped scratch arrays the layer uses. */
  protected int scratchBuffers() {
    return 0;
  }

  /** Scratch array {@code i}, shaped like the bottom. */
  protected final INDArray scratch(int i) {
    return scratch[i].view;
  }

  /** Element access to scratch array {@code i}, for kernels that must loop. */
  protected final DataView scratchValues(int i) {
    return DataView.of(scratch[i].store, scratch[i].count);
  }

  @Override
  public void reshape(List<Blob> bottom, List<Blob> top) {
    Blob b = bottom.get(0);
    top.get(0).reshapeLike(b);
    if (backwardReadsBottom() && b == top.get(0)) {
      savedBottom.fit(b);
    }
    if (scratch.length != scratchBuffers()) {
      scratch = new Buffer[scratchBuffers()];
      for (int i = 0; i < scratch.length; i++) {
        scratch[i] = new Buffer();
      }
    }
    for (Buffer s : scratch) {
      s.fit(b);
    }
  }

  @Override
  public void forward(List<Blob> bottom, List<Blob> top) {
    Blob b = bottom.get(0);
    Blob t = top.get(0);
    if (b.count() == 0) {
      return;
    }
    if (b == t && backwardReadsBottom()) {
      savedBottom.view.assign(b.data());
    }
    forwardValues(b.data(), t.data());
  }

  @Override
  public void backward(List<Blob> top, boolean[] propagateDown, List<Blob> bottom) {
    Blob t = top.get(0);
    if (!propagateDown[0] || t.count() == 0) {
      return;
    }
    backwardValues(bottomData(bottom.get(0), t), t.data(), t.diff(), bottom.get(0).diff());
  }

  /** The bottom values as they were at forward (the saved copy when in place). */
  protected final INDArray bottomData(Blob bottom, Blob top) {
    return bottom == top && backwardReadsBottom() ? savedBottom.view : bottom.data();
  }

  /** y = f(x); x and y may be the same array. */
  protected abstract void forwardValues(INDArray x, INDArray y);

  /**
   * dx = dy * f'(x); x is the bottom as it was at forward, y the top values; dx and dy are
   * the same array when in place (so read dy before writing dx).
   */
  protected abstract void backwardValues(INDArray x, INDArray y, INDArray dy, INDArray dx);

  /** Makes an op reading x and writing z. */
  @FunctionalInterface
  protected interface OpMaker {
    Op make(INDArray x, INDArray z);
  }

  /**
   * Runs the op of {@code slot} on x into z. Scalar ops allocate their scalar when built, so
   * the op is built once and reused while the same arrays come in (rebuilt after a reshape
   * hands out new views). Each slot must always make the same kind of op.
   */
  protected final void exec(int slot, INDArray x, INDArray z, OpMaker maker) {
    if (slot >= ops.length) {
      ops = Arrays.copyOf(ops, slot + 1);
      opX = Arrays.copyOf(opX, slot + 1);
      opZ = Arrays.copyOf(opZ, slot + 1);
    }
    if (ops[slot] == null || opX[slot] != x || opZ[slot] != z) {
      ops[slot] = maker.make(x, z);
      opX[slot] = x;
      opZ[slot] = z;
    }
    Nd4j.exec(ops[slot]);
  }

  /** z = x * v, reusing the op of {@code slot}. */
  protected final void scale(int slot, INDArray x, INDArray z, double v) {
    exec(slot, x, z, (a, b) -> new ScalarMultiplication(a, null, b, v));
  }

  /** z = x + v, reusing the op of {@code slot}. */
  protected final void shift(int slot, INDArray x, INDArray z, double v) {
    exec(slot, x, z, (a, b) -> new ScalarAdd(a, null, b, v));
  }

  /** z = (x > v ? 1 : 0), reusing the op of {@code slot}. */
  protected final void step(int slot, INDArray x, INDArray z, double v) {
    exec(slot, x, z, (a, b) -> new Step(a, b, v));
  }

  /** z = max(x, v), reusing the op of {@code slot}. */
  protected final void max(int slot, INDArray x, INDArray z, double v) {
    exec(slot, x, z, (a, b) -> new ScalarMax(a, null, b, v));
  }

  /** z = min(x, v), reusing the op of {@code slot}. */
  protected final void min(int slot, INDArray x, INDArray z, double v) {
    exec(slot, x, z, (a, b) -> new ScalarMin(a, null, b, v));
  }

  /**
   * out = shift + scale * x with the ops of {@code scaleSlot} and {@code shiftSlot}; as in
   * Caffe, a scale of 1 and a shift of 0 are skipped rather than computed.
   */
  protected final void affine(int scaleSlot, int shiftSlot, INDArray x, INDArray out, double scale,
      double shift) {
    if (scale != 1) {
      scale(scaleSlot, x, out, scale);
    } else if (out != x) {
      out.assign(x);
    }
    if (shift != 0) {
      shift(shiftSlot, out, out, shift);
    }
  }

  /**
   * ln(base) for the base of Exp and Log, where Caffe lets -1 stand for e; fails on a base
   * that has no finite logarithm.
   */
  protected final double logOfBase(double base) {
    check(base == -1 || base > 0, "base must be strictly positive (or -1 for e), got %s", base);
    double logBase = base == -1 ? 1 : Math.log(base);
    check(Double.isFinite(logBase), "log(base) = log(%s) is not finite", base);
    return logBase;
  }

  /** A reusable array shaped like a blob, regrown only when the blob outgrows it. */
  private static final class Buffer {
    private INDArray store;
    private INDArray view;
    private int count;

    void fit(Blob like) {
      count = like.count();
      long n = Math.max(like.count(), 1);
      if (store == null || store.dataType() != like.dataType() || store.length() < n) {
        store = Nd4j.create(like.dataType(), n);
      }
      INDArray flat = store.length() == n ? store : store.get(NDArrayIndex.interval(0, n));
      view = like.count() == 0 ? flat : flat.reshape('c', like.data().shape());
    }
  }
}
