package org.kaffee.layers.common;

import java.util.List;
import org.kaffee.core.Blob;
import org.kaffee.core.Filler;
import org.kaffee.core.Layer;
import org.kaffee.proto.Caffe.BiasParameter;
import org.kaffee.proto.Caffe.LayerParameter;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Caffe's Bias: {@code top = bottom + b}, with b broadcast over the bottom's axes
 * {@code [axis, axis + shape(b))}. b is the second bottom, or a learned param of the bottom's
 * shape over {@code [axis, axis + num_axes)} ({@code num_axes: -1}: to the end).
 */
public final class BiasLayer extends Layer {
  private int outer;
  private int dim;
  private int inner;
  private INDArray sums;
  private final ChannelOps.View bottomData = new ChannelOps.View();
  private final ChannelOps.View topData = new ChannelOps.View();
  private final ChannelOps.View topDiff = new ChannelOps.View();
  private final ChannelOps.View biasData = new ChannelOps.View();
  private final ChannelOps.View biasDiff = new ChannelOps.View();

  public BiasLayer(LayerParameter param) {
    super(param);
  }

  @Override
  public String type() {
    return "Bias";
  }

  @Override
  public int minBottomBlobs() {
    return 1;
  }

  @Override
  public int maxBottomBlobs() {
    return 2;
  }

  @Override
  public int exactNumTopBlobs() {
    return 1;
  }

  @Override
  protected void layerSetUp(List<Blob> bottom, List<Blob> top) {
    if (bottom.size() == 1 && blobs.isEmpty()) {
      BiasParameter p = param.getBiasParam();
      blobs.add(newBlob(paramShape(this, bottom.get(0), p.getAxis(), p.getNumAxes())));
      Filler.fill(p.getFiller(), blobs.get(0));
    }
    for (int i = 0; i < blobs.size(); i++) {
      setParamPropagateDown(i, true);
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
      throw new org.kaffee.core.KaffeeException("layer " + layer.name() + " (" + layer.type()
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

  @Override
  public void reshape(List<Blob> bottom, List<Blob> top) {
    Blob b = bottom.size() > 1 ? bottom.get(1) : blobs.get(0);
    int[] d = dims(this, bottom.get(0), b, param.getBiasParam().getAxis());
    outer = d[0];
    dim = d[1];
    inner = d[2];
    if (sums == null || sums.length() != dim || sums.dataType() != bottom.get(0).dataType()) {
      sums = Nd4j.create(bottom.get(0).dataType(), dim);
    }
    top.get(0).reshapeLike(bottom.get(0));
  }

  @Override
  public void forward(List<Blob> bottom, List<Blob> top) {
    if (bottom.get(0).count() == 0) {
      return;
    }
    Blob b = bottom.size() > 1 ? bottom.get(1) : blobs.get(0);
    ChannelOps.add(bottomData.of(bottom.get(0).data(), outer, dim, inner), biasData.of(b.data(), dim),
        topData.of(top.get(0).data(), outer, dim, inner));
  }

  @Override
  public void backward(List<Blob> top, boolean[] propagateDown, List<Blob> bottom) {
    if (propagateDown[0] && bottom.get(0) != top.get(0)) {
      bottom.get(0).diff().assign(top.get(0).diff());
    }
    boolean learned = bottom.size() == 1;
    if (bottom.get(0).count() > 0 && (learned ? paramPropagateDown(0) : propagateDown[1])) {
      Blob b = learned ? blobs.get(0) : bottom.get(1);
      ChannelOps.sumOuterInner(topDiff.of(top.get(0).diff(), outer, dim, inner), sums);
      INDArray db = biasDiff.of(b.diff(), dim);
      if (learned) {
        db.addi(sums);
      } else {
        db.assign(sums);
      }
    }
  }
}
