package org.kaffee.layers.common;

import java.util.List;
import org.kaffee.core.Blob;
import org.kaffee.core.BlobCounts;
import org.kaffee.core.DataView;
import org.kaffee.core.Layer;
import org.kaffee.proto.Caffe.LayerParameter;

/**
 * Caffe's Filter: the last bottom selects items (non-zero = keep) of every other bottom; each
 * top holds the kept items in order. Backward copies their gradients back and zeroes the
 * dropped items'. As in Caffe, the first reshape (at set-up) gives the tops the full batch.
 */
public final class FilterLayer extends Layer {
  private int[] indices = new int[0];
  private int kept;
  private boolean firstReshape = true;

  public FilterLayer(LayerParameter param) {
    super(param, BlobCounts.ranges(2, BlobCounts.MANY, 1, BlobCounts.MANY));
  }

  @Override
  public String type() {
    return "Filter";
  }

  @Override
  public boolean allowForceBackward(int bottomIndex) {
    return bottomIndex != param.getBottomCount() - 1;
  }

  @Override
  protected void layerSetUp(List<Blob> bottom, List<Blob> top) {
    check(top.size() == bottom.size() - 1, "needs one top per filtered bottom (%d bottoms, %d "
        + "tops)", bottom.size(), top.size());
    firstReshape = true;
  }

  @Override
  public void reshape(List<Blob> bottom, List<Blob> top) {
    Blob selector = bottom.get(bottom.size() - 1);
    for (int i = 1; i < selector.numAxes(); i++) {
      check(selector.shape(i) == 1, "selector blob dimensions must be singletons (1), except "
          + "the first; got %s", selector.shapeString());
    }
    check(selector.numAxes() >= 1, "selector blob needs at least one axis");
    int items = selector.shape(0);
    for (int i = 0; i < bottom.size() - 1; i++) {
      check(bottom.get(i).numAxes() >= 1 && bottom.get(i).shape(0) == items, "each bottom "
          + "should have the same 0th dimension as the selector blob: bottom %d is %s, "
          + "selector %s", i, bottom.get(i).shapeString(), selector.shapeString());
    }
    if (indices.length < items) {
      indices = new int[items];
    }
    DataView s = selector.dataView();
    kept = 0;
    for (int n = 0; n < items; n++) {
      if (s.get(n) != 0) {
        indices[kept++] = n;
      }
    }
    int newNum = kept;
    if (firstReshape) {
      newNum = bottom.get(0).shape(0);
      firstReshape = false;
    }
    for (int t = 0; t < top.size(); t++) {
      int[] shape = bottom.get(t).shape();
      shape[0] = newNum;
      top.get(t).reshape(shape);
    }
  }

  @Override
  public void forward(List<Blob> bottom, List<Blob> top) {
    for (int t = 0; t < top.size(); t++) {
      Blob b = bottom.get(t);
      int dim = b.count(1);
      DataView x = b.dataView();
      DataView y = top.get(t).dataView();
      for (int n = 0; n < kept; n++) {
        int src = indices[n] * dim;
        int dst = n * dim;
        for (int j = 0; j < dim; j++) {
          y.set(dst + j, x.get(src + j));
        }
      }
    }
  }

  @Override
  public void backward(List<Blob> top, boolean[] propagateDown, List<Blob> bottom) {
    check(!propagateDown[bottom.size() - 1], "cannot backpropagate to the filter index input");
    for (int t = 0; t < top.size(); t++) {
      if (!propagateDown[t]) {
        continue;
      }
      Blob b = bottom.get(t);
      int dim = b.count(1);
      DataView dx = b.diffView();
      DataView dy = top.get(t).diffView();
      int next = 0;
      for (int n = 0; n < b.shape(0); n++) {
        int dst = n * dim;
        if (next < kept && indices[next] == n) {
          int src = next * dim;
          for (int j = 0; j < dim; j++) {
            dx.set(dst + j, dy.get(src + j));
          }
          next++;
        } else {
          for (int j = 0; j < dim; j++) {
            dx.set(dst + j, 0);
          }
        }
      }
    }
  }
}
