package org.kaffee.layers.common;

import java.util.List;
import org.kaffee.core.Blob;
import org.kaffee.core.BlobCounts;
import org.kaffee.core.KaffeeException;
import org.kaffee.core.Layer;
import org.kaffee.proto.Caffe.LayerParameter;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What Bias and Scale share: one operand (the second bottom, or else the first learned param)
 * broadcast over the bottom's axes {@code [axis, axis + operand axes)}, seen as an
 * {@code [outer, dim, inner]} view of the bottom.
 */
abstract class BroadcastOperandLayer extends Layer {
  /** Product of the bottom's axes before the operand's. */
  protected int outer;
  /** Number of operand values. */
  protected int dim;
  /** Product of the bottom's axes after the operand's. */
  protected int inner;
  /** Scratch of {@code dim} values: an [outer, dim, inner] array summed over outer and inner. */
  protected INDArray sums;

  protected BroadcastOperandLayer(LayerParameter param) {
    super(param, BlobCounts.ranges(1, 2, 1, 1));
  }

  /** The layer's {@code axis} parameter (may be negative). */
  protected abstract int axisParam();

  /** The operand: the second bottom when given, else the learned param. */
  protected Blob operand(List<Blob> bottom) {
    return bottom.size() > 1 ? bottom.get(1) : blobs.get(0);
  }

  /** True when the operand is a learned param rather than a second bottom. */
  protected static boolean operandIsLearned(List<Blob> bottom) {
    return bottom.size() == 1;
  }

  /** Sets outer/dim/inner for the current shapes and sizes the {@link #sums} scratch. */
  protected void reshapeBroadcast(List<Blob> bottom) {
    int[] d = dims(this, bottom.get(0), operand(bottom), axisParam());
    outer = d[0];
    dim = d[1];
    inner = d[2];
    if (sums == null || sums.length() != dim || sums.dataType() != bottom.get(0).dataType()) {
      sums = Nd4j.create(bottom.get(0).dataType(), dim);
    }
  }

  /**
   * Stores {@link #sums} as the operand's gradient: accumulated into a learned param (Caffe
   * accumulates param diffs), written over a bottom's diff.
   */
  protected void storeOperandGradient(INDArray operandDiff, boolean learned) {
    if (learned) {
      operandDiff.addi(sums);
    } else {
      operandDiff.assign(sums);
    }
  }

  /** The shape of a learned scale/bias: the bottom's axes [axis, axis + numAxes). */
  static int[] paramShape(Layer layer, Blob bottom, int axisParam, int numAxes) {
    int axes = bottom.numAxes();
    check(layer, axisParam >= -axes && axisParam < Math.max(axes, 1),
        "axis %d out of range for bottom %s", axisParam, bottom.shapeString());
    int axis = axes == 0 ? 0 : bottom.canonicalAxisIndex(axisParam);
    check(layer, numAxes >= -1, "num_axes must be non-negative, or -1 to extend to the end of "
        + "the bottom, got %d", numAxes);
    if (numAxes != -1) {
      check(layer, axes >= axis + numAxes, "bottom %s has too few axes for axis %d and "
          + "num_axes %d", bottom.shapeString(), axis, numAxes);
    }
    int end = numAxes == -1 ? axes : axis + numAxes;
    int[] shape = new int[end - axis];
    for (int i = axis; i < end; i++) {
      shape[i - axis] = bottom.shape(i);
    }
    return shape;
  }

  private static void check(Layer layer, boolean ok, String fmt, Object... args) {
    if (!ok) {
      throw new KaffeeException("layer " + layer.name() + " (" + layer.type()
          + "): " + String.format(fmt, args));
    }
  }

  /** {outer, dim, inner} for broadcasting {@code operand} over {@code bottom} at {@code axisParam}. */
  static int[] dims(Layer layer, Blob bottom, Blob operand, int axisParam) {
    int axis = operand.numAxes() == 0 ? 0 : bottom.canonicalAxisIndex(axisParam);
    check(layer, bottom.numAxes() >= axis + operand.numAxes(), "bottom %s has too few axes "
        + "for a %s operand at axis %d", bottom.shapeString(), operand.shapeString(), axis);
    for (int i = 0; i < operand.numAxes(); i++) {
      check(layer, bottom.shape(axis + i) == operand.shape(i), "dimension mismatch between "
          + "bottom %s (axis %d) and operand %s", bottom.shapeString(), axis + i,
          operand.shapeString());
    }
    return new int[] {bottom.count(0, axis), operand.count(), bottom.count(axis + operand.numAxes())};
  }
}
