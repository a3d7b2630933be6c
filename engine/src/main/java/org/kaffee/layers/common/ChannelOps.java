package org.kaffee.layers.common;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastAddOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastDivOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastSubOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Vectorised helpers for layers that work on a blob seen as {@code [outer, dim, inner]} with a
 * per-{@code dim} vector (Scale, Bias, BatchNorm): broadcast ops along axis 1 and sums over
 * axes 0 and 2, all into caller-owned arrays.
 */
final class ChannelOps {
  private ChannelOps() {
  }

  /** z = x * v (v broadcast along axis 1); z may be x. */
  static void mul(INDArray x, INDArray v, INDArray z) {
    Nd4j.getExecutioner().exec(new BroadcastMulOp(x, v, z, 1));
  }

  static void add(INDArray x, INDArray v, INDArray z) {
    Nd4j.getExecutioner().exec(new BroadcastAddOp(x, v, z, 1));
  }

  static void sub(INDArray x, INDArray v, INDArray z) {
    Nd4j.getExecutioner().exec(new BroadcastSubOp(x, v, z, 1));
  }

  static void div(INDArray x, INDArray v, INDArray z) {
    Nd4j.getExecutioner().exec(new BroadcastDivOp(x, v, z, 1));
  }

  /** out[d] = sum over axes 0 and 2 of x[o, d, i]. */
  static void sumOuterInner(INDArray x, INDArray out) {
    x.sum(out, 0, 2);
  }

  /** A reshaped view of a blob array, rebuilt only when the array or the shape changes. */
  static final class View {
    private INDArray source;
    private INDArray view;
    private long[] shape = new long[0];

    INDArray of(INDArray array, long... newShape) {
      if (array != source || !java.util.Arrays.equals(shape, newShape)) {
        source = array;
        shape = newShape.clone();
        view = array.reshape('c', newShape);
      }
      return view;
    }
  }

  /**
   * Copies {@code rows} rows of {@code len} elements, row r from {@code from} at element
   * {@code r * fromWidth + fromOffset} to {@code to} at {@code r * toWidth + toOffset}: the column
   * blocks a Concat top (or Slice bottom) gives each bottom (or top). Raw memory copies for every
   * precision; ND4J's assign between strided views measured several times slower.
   */
  static void copyRows(INDArray from, long fromWidth, long fromOffset, INDArray to, long toWidth, long toOffset,
      long rows, long len) {
    int size = from.data().getElementSize();
    java.nio.ByteBuffer src = from.data().asNio();
    java.nio.ByteBuffer dst = to.data().asNio();
    for (long r = 0; r < rows; r++) {
      dst.put((int) ((to.offset() + r * toWidth + toOffset) * size), src,
          (int) ((from.offset() + r * fromWidth + fromOffset) * size), (int) (len * size));
    }
  }
}
