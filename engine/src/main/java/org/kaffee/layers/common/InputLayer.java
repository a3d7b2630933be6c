package org.kaffee.layers.common;

import java.util.List;
import org.kaffee.core.Blob;
import org.kaffee.core.BlobCounts;
import org.kaffee.core.Layer;
import org.kaffee.proto.Caffe.InputParameter;
import org.kaffee.proto.Caffe.LayerParameter;

/**
 * Declares the net's input blobs and their shapes; the caller fills them. One shape for all
 * tops, or one per top.
 */
public final class InputLayer extends Layer {
  public InputLayer(LayerParameter param) {
    super(param, BlobCounts.ranges(0, 0, 1, BlobCounts.MANY));
  }

  @Override
  public String type() {
    return "Input";
  }

  @Override
  protected void layerSetUp(List<Blob> bottom, List<Blob> top) {
    InputParameter p = param.getInputParam();
    int shapes = p.getShapeCount();
    check(shapes == 0 || shapes == 1 || shapes == top.size(),
        "input_param must give 0, 1 or %d shapes, got %d", top.size(), shapes);
    if (shapes > 0) {
      for (int i = 0; i < top.size(); i++) {
        top.get(i).reshape(p.getShape(shapes == 1 ? 0 : i));
      }
    }
  }

  @Override
  public void reshape(List<Blob> bottom, List<Blob> top) {
    // The shapes are set once; callers may reshape inputs and then call Net.reshape().
  }

  @Override
  public void forward(List<Blob> bottom, List<Blob> top) {
  }

  @Override
  public void backward(List<Blob> top, boolean[] propagateDown, List<Blob> bottom) {
  }
}
