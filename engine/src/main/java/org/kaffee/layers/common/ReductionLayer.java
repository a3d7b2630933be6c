package org.kaffee.layers.common;

import java.util.List;
import org.kaffee.core.Blob;
import org.kaffee.core.BlobCounts;
import org.kaffee.core.DataView;
import org.kaffee.core.Layer;
import org.kaffee.proto.Caffe.LayerParameter;
import org.kaffee.proto.Caffe.ReductionParameter;
import org.kaffee.proto.Caffe.ReductionParameter.ReductionOp;

/**
 * Caffe's Reduction: reduces all axes from {@code axis} on with SUM, ASUM (sum of absolute
 * values), SUMSQ or MEAN, times {@code coeff}; the top keeps the axes before {@code axis}.
 */
public final class ReductionLayer extends Layer {
  private ReductionOp op;
  private double coeff;
  private int num;
  private int dim;

  public ReductionLayer(LayerParameter param) {
    super(param, BlobCounts.of(1, 1));
  }

  @Override
  public String type() {
    return "Reduction";
  }

  @Override
  protected void layerSetUp(List<Blob> bottom, List<Blob> top) {
    op = param.getReductionParam().getOperation();
  }

  @Override
  public void reshape(List<Blob> bottom, List<Blob> top) {
    ReductionParameter p = param.getReductionParam();
    Blob b = bottom.get(0);
    int axis = b.canonicalAxisIndex(p.getAxis());
    int[] shape = java.util.Arrays.copyOf(b.shape(), axis);
    top.get(0).reshape(shape);
    num = b.count(0, axis);
    dim = b.count(axis);
    check(num == top.get(0).count(), "internal: top count %d != %d", top.get(0).count(), num);
    coeff = p.getCoeff();
    if (op == ReductionOp.MEAN) {
      coeff /= dim;
    }
  }

  @Override
  public void forward(List<Blob> bottom, List<Blob> top) {
    DataView x = bottom.get(0).dataView();
    DataView y = top.get(0).dataView();
    for (int i = 0; i < num; i++) {
      int base = i * dim;
      double s = 0;
      switch (op) {
        case SUM, MEAN -> {
          for (int j = 0; j < dim; j++) {
            s += x.get(base + j);
          }
        }
        case ASUM -> {
          for (int j = 0; j < dim; j++) {
            s += Math.abs(x.get(base + j));
          }
        }
        case SUMSQ -> {
          for (int j = 0; j < dim; j++) {
            double v = x.get(base + j);
            s += v * v;
          }
        }
        default -> check(false, "unknown reduction op %s", op);
      }
      y.set(i, s * coeff);
    }
  }

  @Override
  public void backward(List<Blob> top, boolean[] propagateDown, List<Blob> bottom) {
    if (!propagateDown[0]) {
      return;
    }
    DataView x = bottom.get(0).dataView();
    DataView dx = bottom.get(0).diffView();
    DataView dy = top.get(0).diffView();
    for (int i = 0; i < num; i++) {
      int base = i * dim;
      double g = dy.get(i) * coeff;
      switch (op) {
        case SUM, MEAN -> {
          for (int j = 0; j < dim; j++) {
            dx.set(base + j, g);
          }
        }
        case ASUM -> {
          for (int j = 0; j < dim; j++) {
            double v = x.get(base + j);
            dx.set(base + j, v > 0 ? g : v < 0 ? -g : 0);
          }
        }
        case SUMSQ -> {
          for (int j = 0; j < dim; j++) {
            dx.set(base + j, 2 * g * x.get(base + j));
          }
        }
        default -> check(false, "unknown reduction op %s", op);
      }
    }
  }
}
