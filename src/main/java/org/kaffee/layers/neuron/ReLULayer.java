package org.kaffee.layers.neuron;

import org.nd4j.linalg.api.ops.impl.scalar.LeakyReLU;
import org.kaffee.proto.Caffe.LayerParameter;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * y = max(x, 0) + negative_slope * min(x, 0). Backward derives its mask from the bottom
 * values, which are the top values when in place (same sign for a non-negative slope).
 */
public final class ReLULayer extends NeuronLayer {
  private final double negativeSlope;

  public ReLULayer(LayerParameter param) {
    super(param);
    negativeSlope = param.getReluParam().getNegativeSlope();
  }

  @Override
  public String type() {
    return "ReLU";
  }

  @Override
  protected int scratchBuffers() {
    return 1;
  }

  @Override
  protected void forwardValues(INDArray x, INDArray y) {
    if (negativeSlope == 0) {
      max(0, x, y, 0);
    } else {
      exec(0, x, y, (a, b) -> new LeakyReLU(a, b, negativeSlope));
    }
  }

  @Override
  protected void backwardValues(INDArray x, INDArray y, INDArray dy, INDArray dx) {
    INDArray mask = scratch(0);
    step(1, x, mask, 0); // 1 where x > 0, else 0
    if (negativeSlope != 0) {
      scale(2, mask, mask, 1 - negativeSlope);
      shift(3, mask, mask, negativeSlope);
    }
    dy.muli(mask, dx);
  }
}
