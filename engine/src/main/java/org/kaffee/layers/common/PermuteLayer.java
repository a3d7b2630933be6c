package org.kaffee.layers.common;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.kaffee.core.Blob;
import org.kaffee.core.BlobCounts;
import org.kaffee.core.DataView;
import org.kaffee.core.Layer;
import org.kaffee.proto.Caffe.LayerParameter;
import org.kaffee.proto.Caffe.PermuteParameter;

/**
 * SSD's Permute (weiliu89/caffe): top axis i is bottom axis {@code order[i]}; axes the order does
 * not name follow in their own order (SSD's {@code order: 0 order: 2 order: 3 order: 1} turns
 * NCHW into NHWC). Backward scatters the gradients back through the same index map.
 */
public final class PermuteLayer extends Layer {
  private int[] order;
  /** For each top element, the flat index of its bottom element. */
  private int[] source = new int[0];
  /** The bottom shape {@link #source} was made for: Net reshapes before every pass. */
  private int[] mappedShape;

  public PermuteLayer(LayerParameter param) {
    super(param, BlobCounts.of(1, 1));
  }

  @Override
  public String type() {
    return "Permute";
  }

  @Override
  protected void layerSetUp(List<Blob> bottom, List<Blob> top) {
    check(top.get(0) != bottom.get(0), "cannot run in place");
    order = fullOrder(param.getPermuteParam(), bottom.get(0).numAxes());
  }

  private int[] fullOrder(PermuteParameter p, int axes) {
    List<Integer> axesInOrder = new ArrayList<>();
    for (int axis : p.getOrderList()) {
      check(axis < axes, "order %d is not an axis of a %d-axis bottom", axis, axes);
      check(!axesInOrder.contains(axis), "order names axis %d twice", axis);
      axesInOrder.add(axis);
    }
    for (int axis = 0; axis < axes; axis++) {
      if (!axesInOrder.contains(axis)) {
        axesInOrder.add(axis);
      }
    }
    return axesInOrder.stream().mapToInt(Integer::intValue).toArray();
  }

  @Override
  public void reshape(List<Blob> bottom, List<Blob> top) {
    Blob b = bottom.get(0);
    check(b.numAxes() == order.length, "the bottom %s changed its number of axes", b.shapeString());
    int[] shape = new int[order.length];
    int[] bottomStride = new int[order.length];
    for (int i = 0; i < order.length; i++) {
      shape[i] = b.shape(order[i]);
      bottomStride[i] = b.count(order[i] + 1);
    }
    top.get(0).reshape(shape);
    if (Arrays.equals(mappedShape, b.shape())) {
      return;
    }
    mappedShape = b.shape();
    source = new int[b.count()];
    int[] index = new int[order.length];
    for (int t = 0; t < source.length; t++) {
      int s = 0;
      for (int i = 0; i < order.length; i++) {
        s += index[i] * bottomStride[i];
      }
      source[t] = s;
      for (int i = order.length - 1; i >= 0 && ++index[i] == shape[i]; i--) {
        index[i] = 0;
      }
    }
  }

  @Override
  public void forward(List<Blob> bottom, List<Blob> top) {
    DataView x = bottom.get(0).dataView();
    DataView y = top.get(0).dataView();
    for (int t = 0; t < source.length; t++) {
      y.set(t, x.get(source[t]));
    }
  }

  @Override
  public void backward(List<Blob> top, boolean[] propagateDown, List<Blob> bottom) {
    if (!propagateDown[0]) {
      return;
    }
    DataView dy = top.get(0).diffView();
    DataView dx = bottom.get(0).diffView();
    for (int t = 0; t < source.length; t++) {
      dx.set(source[t], dy.get(t));
    }
  }
}
