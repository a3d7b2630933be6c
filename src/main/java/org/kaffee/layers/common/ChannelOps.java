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
   * Column block {@code [offset, offset + len)} of a blob array seen as {@code [outer, width]}:
   * the part of a Concat top (or Slice bottom) that one bottom (or top) occupies. Cached while
   * the array and the geometry are unchanged.
   */
  static final class Block {
    private INDArray source;
    private INDArray view;
    private long outer = -1;
    private long width = -1;
    private long offset = -1;
    private long len = -1;

    INDArray of(INDArray array, long outerDim, long widthDim, long offsetCol, long lenCols) {
      if (array != source || outerDim != outer || widthDim != width || offsetCol != offset
          || lenCols != len) {
        source = array;
        outer = outerDim;
        width = widthDim;
        offset = offsetCol;
        len = lenCols;
        view = array.reshape('c', outerDim, widthDim).get(
            org.nd4j.linalg.indexing.NDArrayIndex.all(),
            org.nd4j.linalg.indexing.NDArrayIndex.interval(offsetCol, offsetCol + lenCols));
      }
      return view;
    }
  }
}
