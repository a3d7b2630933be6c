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
  private ChannelOps.Block[] bottomBlocks = new ChannelOps.Block[0];
  private ChannelOps.View[] topViews = new ChannelOps.View[0];

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

  private void ensureViews(int n) {
    if (bottomBlocks.length != n) {
      bottomBlocks = new ChannelOps.Block[n];
      topViews = new ChannelOps.View[n];
      for (int i = 0; i < n; i++) {
        bottomBlocks[i] = new ChannelOps.Block();
        topViews[i] = new ChannelOps.View();
      }
    }
  }

  @Override
  public void forward(List<Blob> bottom, List<Blob> top) {
    if (top.size() == 1 || bottom.get(0).count() == 0) {
      return;
    }
    ensureViews(top.size());
    int width = bottom.get(0).shape(axis) * inner;
    int offset = 0;
    for (int i = 0; i < top.size(); i++) {
      int len = sizes[i] * inner;
      topViews[i].of(top.get(i).data(), outer, len)
          .assign(bottomBlocks[i].of(bottom.get(0).data(), outer, width, offset, len));
      offset += len;
    }
  }

  @Override
  public void backward(List<Blob> top, boolean[] propagateDown, List<Blob> bottom) {
    if (!propagateDown[0] || top.size() == 1 || bottom.get(0).count() == 0) {
      return;
    }
    ensureViews(top.size());
    int width = bottom.get(0).shape(axis) * inner;
    int offset = 0;
    for (int i = 0; i < top.size(); i++) {
      int len = sizes[i] * inner;
      bottomBlocks[i].of(bottom.get(0).diff(), outer, width, offset, len)
          .assign(topViews[i].of(top.get(i).diff(), outer, len));
      offset += len;
    }
  }
}
