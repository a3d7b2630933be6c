package org.kaffee.layers.common;

import java.util.List;
import org.kaffee.core.Blob;
import org.kaffee.core.BlobCounts;
import org.kaffee.core.Layer;
import org.kaffee.proto.Caffe.LayerParameter;

/** Caffe's Silence: consumes its bottoms so they are not net outputs; their gradient is zero. */
public final class SilenceLayer extends Layer {
  public SilenceLayer(LayerParameter param) {
    super(param, BlobCounts.ranges(1, BlobCounts.MANY, 0, 0));
  }

  @Override
  public String type() {
    return "Silence";
  }

  @Override
  public void reshape(List<Blob> bottom, List<Blob> top) {
  }

  @Override
  public void forward(List<Blob> bottom, List<Blob> top) {
  }

  @Override
  public void backward(List<Blob> top, boolean[] propagateDown, List<Blob> bottom) {
    for (int i = 0; i < bottom.size(); i++) {
      if (propagateDown[i]) {
        bottom.get(i).diff().assign(0);
      }
    }
  }
}
