package org.kaffee.layers.vision;

import java.util.List;
import org.kaffee.core.Blob;
import org.kaffee.core.BlobCounts;
import org.kaffee.core.Layer;
import org.kaffee.proto.Caffe.CropParameter;
import org.kaffee.proto.Caffe.LayerParameter;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Caffe's Crop: crops bottom[0] to the shape of bottom[1] on the axes from {@code axis} on,
 * starting at {@code offset} (one value for all cropped axes, or one per axis). Only
 * bottom[0] receives a gradient; the rest of its diff is zero.
 */
public final class CropLayer extends Layer {
  private INDArrayIndex[] window;

  public CropLayer(LayerParameter param) {
    super(param, BlobCounts.of(2, 1));
  }

  @Override
  public String type() {
    return "Crop";
  }

  @Override
  public boolean allowForceBackward(int bottomIndex) {
    return bottomIndex == 0;
  }

  @Override
  protected void layerSetUp(List<Blob> bottom, List<Blob> top) {
    CropParameter p = param.getCropParam();
    int axes = bottom.get(0).numAxes();
    int start = bottom.get(0).canonicalAxisIndex(p.getAxis());
    check(axes == bottom.get(1).numAxes(), "bottoms must have the same number of axes (%s vs %s)",
        bottom.get(0).shapeString(), bottom.get(1).shapeString());
    if (p.getOffsetCount() > 1) {
      check(p.getOffsetCount() == axes - start,
          "number of offsets (%d) must be 1 or the number of cropped axes (%d)", p.getOffsetCount(), axes - start);
    }
  }

  @Override
  public void reshape(List<Blob> bottom, List<Blob> top) {
    CropParameter p = param.getCropParam();
    Blob b0 = bottom.get(0);
    Blob b1 = bottom.get(1);
    int axes = b0.numAxes();
    check(axes == b1.numAxes(), "bottoms must have the same number of axes (%s vs %s)",
        b0.shapeString(), b1.shapeString());
    int start = b0.canonicalAxisIndex(p.getAxis());
    int[] shape = b0.shape();
    window = new INDArrayIndex[axes];
    for (int i = 0; i < axes; i++) {
      int offset = 0;
      if (i >= start) {
        shape[i] = b1.shape(i);
        if (p.getOffsetCount() == 1) {
          offset = p.getOffset(0);
        } else if (p.getOffsetCount() > 1) {
          offset = p.getOffset(i - start);
        }
        check(b0.shape(i) - offset >= b1.shape(i),
            "invalid crop on axis %d: bottom[0] size %d, offset %d, target size %d",
            i, b0.shape(i), offset, b1.shape(i));
      }
      window[i] = NDArrayIndex.interval(offset, offset + shape[i]);
    }
    top.get(0).reshape(shape);
  }

  @Override
  public void forward(List<Blob> bottom, List<Blob> top) {
    if (top.get(0).count() == 0) {
      return;
    }
    top.get(0).data().assign(bottom.get(0).data().get(window));
  }

  @Override
  public void backward(List<Blob> top, boolean[] propagateDown, List<Blob> bottom) {
    if (!propagateDown[0]) {
      return;
    }
    bottom.get(0).diff().assign(0);
    if (top.get(0).count() == 0) {
      return;
    }
    bottom.get(0).diff().get(window).assign(top.get(0).diff());
  }
}
