package org.kaffee.layers.common;

import java.util.List;
import org.kaffee.core.Blob;
import org.kaffee.core.BlobCounts;
import org.kaffee.core.Layer;
import org.kaffee.proto.Caffe.ConcatParameter;
import org.kaffee.proto.Caffe.LayerParameter;

/**
 * Caffe's Concat: joins the bottoms along {@code axis} (or the legacy {@code concat_dim});
 * every other dimension must agree. A single bottom is passed through by sharing memory.
 */
public final class ConcatLayer extends Layer {
  private int axis;
  private int outer;
  private int inner;

  public ConcatLayer(LayerParameter param) {
    super(param, BlobCounts.ranges(1, BlobCounts.MANY, 1, 1));
  }

  @Override
  public String type() {
    return "Concat";
  }

  @Override
  protected void layerSetUp(List<Blob> bottom, List<Blob> top) {
    ConcatParameter p = param.getConcatParam();
    check(!(p.hasAxis() && p.hasConcatDim()), "either axis or concat_dim should be specified; not both");
  }

  @Override
  public void reshape(List<Blob> bottom, List<Blob> top) {
    ConcatParameter p = param.getConcatParam();
    Blob b0 = bottom.get(0);
    if (p.hasConcatDim()) {
      axis = p.getConcatDim();
      check(axis >= 0 && axis < b0.numAxes(), "concat_dim %d out of range for bottom %s", axis,
          b0.shapeString());
    } else {
      check(p.getAxis() >= -b0.numAxes() && p.getAxis() < b0.numAxes(),
          "axis %d out of range for bottom %s", p.getAxis(), b0.shapeString());
      axis = b0.canonicalAxisIndex(p.getAxis());
    }
    int[] shape = b0.shape();
    for (int i = 1; i < bottom.size(); i++) {
      Blob b = bottom.get(i);
      check(b.numAxes() == b0.numAxes(), "all bottoms must have the same number of axes: "
          + "bottom 0 is %s, bottom %d is %s", b0.shapeString(), i, b.shapeString());
      for (int j = 0; j < shape.length; j++) {
        if (j != axis) {
          check(b.shape(j) == shape[j], "all bottoms must have the same shape except on the "
              + "concat axis %d: bottom 0 is %s, bottom %d is %s", axis, b0.shapeString(), i,
              b.shapeString());
        }
      }
      shape[axis] += b.shape(axis);
    }
    top.get(0).reshape(shape);
    outer = b0.count(0, axis);
    inner = b0.count(axis + 1);
    if (bottom.size() == 1) {
      top.get(0).shareData(b0);
      top.get(0).shareDiff(b0);
    }
  }

  @Override
  public void forward(List<Blob> bottom, List<Blob> top) {
    if (bottom.size() == 1 || top.get(0).count() == 0) {
      return;
    }
    int width = top.get(0).shape(axis) * inner;
    int offset = 0;
    for (int i = 0; i < bottom.size(); i++) {
      Blob b = bottom.get(i);
      int len = b.shape(axis) * inner;
      ChannelOps.copyRows(b.data(), len, 0, top.get(0).data(), width, offset, outer, len);
      offset += len;
    }
  }

  @Override
  public void backward(List<Blob> top, boolean[] propagateDown, List<Blob> bottom) {
    if (bottom.size() == 1 || top.get(0).count() == 0) {
      return;
    }
    int width = top.get(0).shape(axis) * inner;
    int offset = 0;
    for (int i = 0; i < bottom.size(); i++) {
      Blob b = bottom.get(i);
      int len = b.shape(axis) * inner;
      if (propagateDown[i]) {
        ChannelOps.copyRows(top.get(0).diff(), width, offset, b.diff(), len, 0, outer, len);
      }
      offset += len;
    }
  }
}
