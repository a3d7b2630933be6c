package org.kaffee.layers.common;

import java.util.List;
import org.kaffee.core.Blob;
import org.kaffee.core.Layer;
import org.kaffee.proto.Caffe.LayerParameter;

/** Caffe's Silence: consumes its bottoms so they are not net outputs; their gradient is zero. */
public final class SilenceLayer extends Layer {
  public SilenceLayer(LayerParameter param) {
    super(param);
  }

  @Override
  public String type() {
    return "Silence";
  }

  @Override
  public int minBottomBlobs() {
    return 1;
  }

  @Override
  public int exactNumTopBlobs() {
    return 0;
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
