package org.kaffee.layers.common;

import java.util.List;
import org.kaffee.core.Blob;
import org.kaffee.core.BlobCounts;
import org.kaffee.core.Layer;
import org.kaffee.proto.Caffe.LayerParameter;

/**
 * Copies one bottom to several tops that share its memory; backward sums the tops'
 * gradients. The Net inserts it wherever a blob has more than one consumer.
 */
public final class SplitLayer extends Layer {
  public SplitLayer(LayerParameter param) {
    super(param, BlobCounts.ranges(1, 1, 1, BlobCounts.MANY));
  }

  @Override
  public String type() {
    return "Split";
  }

  @Override
  public void reshape(List<Blob> bottom, List<Blob> top) {
    for (int i = 0; i < top.size(); i++) {
      // Split in place is allowed only for the first top (as in Caffe).
      check(i == 0 || top.get(i) != bottom.get(0),
          "top %d may not be the bottom blob (only the first top can be in place)", i);
      top.get(i).reshapeLike(bottom.get(0));
      top.get(i).shareData(bottom.get(0));
    }
  }

  @Override
  public void forward(List<Blob> bottom, List<Blob> top) {
    // The tops share the bottom's data: nothing to compute.
  }

  @Override
  public void backward(List<Blob> top, boolean[] propagateDown, List<Blob> bottom) {
    if (!propagateDown[0]) {
      return;
    }
    Blob b = bottom.get(0);
    if (top.size() == 1) {
      if (top.get(0) != b) {
        b.diff().assign(top.get(0).diff());
      }
      return;
    }
    b.diff().assign(top.get(0).diff()).addi(top.get(1).diff());
    for (int i = 2; i < top.size(); i++) {
      b.diff().addi(top.get(i).diff());
    }
  }
}
