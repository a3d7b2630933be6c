package org.kaffee.layers.common;

import java.util.List;
import org.kaffee.core.Blob;
import org.kaffee.core.BlobCounts;
import org.kaffee.core.Layer;
import org.kaffee.proto.Caffe.FlattenParameter;
import org.kaffee.proto.Caffe.LayerParameter;

/**
 * Caffe's Flatten: merges axes {@code axis..end_axis} into one. The top shares the bottom's
 * data and diff, so forward and backward do nothing.
 */
public final class FlattenLayer extends Layer {
  public FlattenLayer(LayerParameter param) {
    super(param, BlobCounts.of(1, 1));
  }

  @Override
  public String type() {
    return "Flatten";
  }

  @Override
  protected void layerSetUp(List<Blob> bottom, List<Blob> top) {
    check(top.get(0) != bottom.get(0), "Flatten layer does not allow in-place computation");
  }

  @Override
  public void reshape(List<Blob> bottom, List<Blob> top) {
    FlattenParameter p = param.getFlattenParam();
    Blob b = bottom.get(0);
    int start = b.canonicalAxisIndex(p.getAxis());
    int end = b.canonicalAxisIndex(p.getEndAxis());
    int[] in = b.shape();
    int n = Math.max(0, end - start);
    int[] shape = new int[in.length - n];
    int k = 0;
    for (int i = 0; i < start; i++) {
      shape[k++] = in[i];
    }
    shape[k++] = b.count(start, end + 1);
    for (int i = end + 1; i < in.length; i++) {
      shape[k++] = in[i];
    }
    top.get(0).reshape(shape);
    check(top.get(0).count() == b.count(), "output count %d differs from input count %d",
        top.get(0).count(), b.count());
    top.get(0).shareData(b);
    top.get(0).shareDiff(b);
  }

  @Override
  public void forward(List<Blob> bottom, List<Blob> top) {
  }

  @Override
  public void backward(List<Blob> top, boolean[] propagateDown, List<Blob> bottom) {
  }
}
