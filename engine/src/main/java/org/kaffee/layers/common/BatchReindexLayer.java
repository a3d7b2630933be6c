package org.kaffee.layers.common;

import java.util.List;
import org.kaffee.core.Blob;
import org.kaffee.core.BlobCounts;
import org.kaffee.core.DataView;
import org.kaffee.core.Layer;
import org.kaffee.proto.Caffe.LayerParameter;

/**
 * Caffe's BatchReindex: {@code top[i] = bottom[idx[i]]} for the 1-D index bottom; backward
 * adds each top item's gradient to the bottom item it came from.
 */
public final class BatchReindexLayer extends Layer {
  public BatchReindexLayer(LayerParameter param) {
    super(param, BlobCounts.of(2, 1));
  }

  @Override
  public String type() {
    return "BatchReindex";
  }

  @Override
  public boolean allowForceBackward(int bottomIndex) {
    return bottomIndex == 0;
  }

  @Override
  public void reshape(List<Blob> bottom, List<Blob> top) {
    check(bottom.get(1).numAxes() == 1, "the index bottom must have 1 axis, got %s",
        bottom.get(1).shapeString());
    int[] shape = bottom.get(0).shape();
    shape[0] = bottom.get(1).shape(0);
    top.get(0).reshape(shape);
  }

  private int index(DataView idx, int i, int batch) {
    double v = idx.get(i);
    check(v >= 0, "index %s for the reindex layer is negative", v);
    check(v < batch, "index %s for the reindex layer is not below the batch size %d", v, batch);
    return (int) v;
  }

  @Override
  public void forward(List<Blob> bottom, List<Blob> top) {
    Blob b = bottom.get(0);
    DataView idx = bottom.get(1).dataView();
    int batch = b.shape(0);
    int items = bottom.get(1).count();
    for (int i = 0; i < items; i++) {
      index(idx, i, batch);
    }
    if (top.get(0).count() == 0) {
      return;
    }
    int inner = b.count(1);
    DataView x = b.dataView();
    DataView y = top.get(0).dataView();
    for (int n = 0; n < items; n++) {
      int src = index(idx, n, batch) * inner;
      int dst = n * inner;
      for (int j = 0; j < inner; j++) {
        y.set(dst + j, x.get(src + j));
      }
    }
  }

  @Override
  public void backward(List<Blob> top, boolean[] propagateDown, List<Blob> bottom) {
    check(!propagateDown[1], "cannot backpropagate to the index bottom");
    if (!propagateDown[0]) {
      return;
    }
    Blob b = bottom.get(0);
    b.diff().assign(0);
    if (top.get(0).count() == 0) {
      return;
    }
    int inner = b.count(1);
    int batch = b.shape(0);
    DataView idx = bottom.get(1).dataView();
    DataView dy = top.get(0).diffView();
    DataView dx = b.diffView();
    for (int n = 0; n < bottom.get(1).count(); n++) {
      int dst = index(idx, n, batch) * inner;
      int src = n * inner;
      for (int j = 0; j < inner; j++) {
        dx.add(dst + j, dy.get(src + j));
      }
    }
  }
}
