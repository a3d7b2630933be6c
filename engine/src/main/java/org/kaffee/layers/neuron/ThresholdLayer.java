package org.kaffee.layers.neuron;

import java.util.List;
import org.kaffee.core.Blob;
import org.kaffee.proto.Caffe.LayerParameter;
import org.nd4j.linalg.api.ndarray.INDArray;

/** y = 1 where x > threshold, else 0. Like Caffe, it has no backward. */
public final class ThresholdLayer extends NeuronLayer {
  private final double threshold;

  public ThresholdLayer(LayerParameter param) {
    super(param);
    threshold = param.getThresholdParam().getThreshold();
  }

  @Override
  public String type() {
    return "Threshold";
  }

  @Override
  protected void forwardValues(INDArray x, INDArray y) {
    step(0, x, y, threshold);
  }

  @Override
  public void backward(List<Blob> top, boolean[] propagateDown, List<Blob> bottom) {
    check(!propagateDown[0], "Threshold has no gradient; it cannot be trained through");
  }

  @Override
  protected void backwardValues(INDArray x, INDArray y, INDArray dy, INDArray dx) {
    throw new UnsupportedOperationException("Threshold has no backward");
  }
}
