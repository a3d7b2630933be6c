package org.kaffee.layers.common;

import java.util.List;
import org.kaffee.core.Blob;
import org.kaffee.core.BlobCounts;
import org.kaffee.core.Layer;
import org.kaffee.proto.Caffe.LayerParameter;
import org.kaffee.proto.Caffe.SliceParameter;

/**
 * Caffe's Slice: cuts the bottom along {@code axis} (or the legacy {@code slice_dim}) at the
 * given {@code slice_point}s, or into equal parts (one per top) when none are given.
 */
public final class SliceLayer extends Layer {
  private int axis;
  private int outer;
  private int inner;
  private int[] sizes;

  public SliceLayer(LayerParameter param) {
    super(param, BlobCounts.ranges(1, 1, 1, BlobCounts.MANY));
  }

  @Override
  public String type() {
    return "Slice";
  }

  @Override
  protected void layerSetUp(List<Blob> bottom, List<Blob> top) {
    SliceParameter p = param.getSliceParam();
    check(!(p.hasAxis() && p.hasSliceDim()), "either axis or slice_dim should be specified; not both");
  }

  @Override
  public void reshape(List<Blob> bottom, List<Blob> top) {
    SliceParameter p = param.getSliceParam();
    Blob b = bottom.get(0);
    if (p.hasSliceDim()) {
      axis = p.getSliceDim();
      check(axis >= 0 && axis < b.numAxes(), "slice_dim %d out of range for bottom %s", axis,
          b.shapeString());
    } else {
      check(p.getAxis() >= -b.numAxes() && p.getAxis() < b.numAxes(),
          "axis %d out of range for bottom %s", p.getAxis(), b.shapeString());
      axis = b.canonicalAxisIndex(p.getAxis());
    }
    int dim = b.shape(axis);
    sizes = new int[top.size()];
    if (p.getSlicePointCount() > 0) {
      check(p.getSlicePointCount() == top.size() - 1,
          "%d slice_point(s) given for %d tops (need one fewer than the tops)",
          p.getSlicePointCount(), top.size());
      check(top.size() <= dim, "%d tops cannot slice an axis of size %d", top.size(), dim);
      int prev = 0;
      for (int i = 0; i < p.getSlicePointCount(); i++) {
        int sp = p.getSlicePoint(i);
        check(sp > prev, "slice points must be increasing and positive, got %s",
            p.getSlicePointList());
        sizes[i] = sp - prev;
        prev = sp;
      }
      check(dim > prev, "slice point %d is beyond the axis size %d", prev, dim);
      sizes[top.size() - 1] = dim - prev;
    } else {
      check(dim % top.size() == 0, "axis %d of size %d cannot be split equally into %d tops",
          axis, dim, top.size());
      java.util.Arrays.fill(sizes, dim / top.size());
    }
    outer = b.count(0, axis);
    inner = b.count(axis + 1);
    int[] shape = b.shape();
    for (int i = 0; i < top.size(); i++) {
      shape[axis] = sizes[i];
      top.get(i).reshape(shape);
    }
    if (top.size() == 1) {
      top.get(0).shareData(b);
      top.get(0).shareDiff(b);
    }
  }

  @Override
  public void forward(List<Blob> bottom, List<Blob> top) {
    if (top.size() == 1 || bottom.get(0).count() == 0) {
      return;
    }
    int width = bottom.get(0).shape(axis) * inner;
    int offset = 0;
    for (int i = 0; i < top.size(); i++) {
      int len = sizes[i] * inner;
      ChannelOps.copyRows(bottom.get(0).data(), width, offset, top.get(i).data(), len, 0, outer, len);
      offset += len;
    }
  }

  @Override
  public void backward(List<Blob> top, boolean[] propagateDown, List<Blob> bottom) {
    if (!propagateDown[0] || top.size() == 1 || bottom.get(0).count() == 0) {
      return;
    }
    int width = bottom.get(0).shape(axis) * inner;
    int offset = 0;
    for (int i = 0; i < top.size(); i++) {
      int len = sizes[i] * inner;
      ChannelOps.copyRows(top.get(i).diff(), len, 0, bottom.get(0).diff(), width, offset, outer, len);
      offset += len;
    }
  }
}
