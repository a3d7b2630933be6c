package org.kaffee.layers.vision;

import java.util.List;
import org.kaffee.core.Blob;
import org.kaffee.core.BlobCounts;
import org.kaffee.core.Layer;
import org.kaffee.kernels.Lrn;
import org.kaffee.proto.Caffe.LRNParameter;
import org.kaffee.proto.Caffe.LRNParameter.NormRegion;
import org.kaffee.proto.Caffe.LayerParameter;

/**
 * Caffe's local response normalization, {@code top = bottom * scale^-beta}.
 * ACROSS_CHANNELS: {@code scale = k + alpha / size * sum of x^2 over size neighbouring
 * channels}. WITHIN_CHANNEL (Caffe composes it from square, AVE pooling with padding
 * {@code (size - 1) / 2}, power and product layers): {@code scale = 1 + alpha * mean of x^2}
 * over a size x size window whose divisor counts padding as AVE pooling does; k is unused.
 * The arithmetic is in {@link Lrn}.
 */
public final class LRNLayer extends Layer {
  private Lrn lrn;

  public LRNLayer(LayerParameter param) {
    super(param, BlobCounts.of(1, 1));
  }

  @Override
  public String type() {
    return "LRN";
  }

  @Override
  protected void layerSetUp(List<Blob> bottom, List<Blob> top) {
    LRNParameter p = param.getLrnParam();
    check(p.getLocalSize() % 2 == 1, "LRN only supports odd values for local_size");
    lrn = new Lrn(p.getLocalSize(), p.getAlpha(), p.getBeta(), p.getK(),
        p.getNormRegion() == NormRegion.ACROSS_CHANNELS);
  }

  @Override
  public void reshape(List<Blob> bottom, List<Blob> top) {
    Blob b = bottom.get(0);
    check(b.numAxes() == 4, "input must have 4 axes, corresponding to (num, channels, height, width); got %s",
        b.shapeString());
    check(top.get(0).dataType() == b.dataType(), "top and bottom must have the same data type; got %s and %s",
        top.get(0).dataType(), b.dataType());
    top.get(0).reshape(b.num(), b.channels(), b.height(), b.width());
    lrn.reshape(b.num(), b.channels(), b.height(), b.width(), b.dataType());
  }

  @Override
  public void forward(List<Blob> bottom, List<Blob> top) {
    lrn.forward(bottom.get(0).dataView(), top.get(0).dataView());
  }

  @Override
  public void backward(List<Blob> top, boolean[] propagateDown, List<Blob> bottom) {
    if (propagateDown[0]) {
      lrn.backward(bottom.get(0).dataView(), top.get(0).dataView(), top.get(0).diffView(),
          bottom.get(0).diffView());
    }
  }
}
