package org.kaffee.layers.neuron;

import org.nd4j.linalg.api.ops.impl.scalar.LeakyReLU;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarMax;
import org.nd4j.linalg.api.ops.impl.scalar.Step;
import org.kaffee.proto.Caffe.LayerParameter;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

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
      Nd4j.exec(new ScalarMax(x, null, y, 0.0));
    } else {
      Nd4j.exec(new LeakyReLU(x, y, negativeSlope));
    }
  }

  @Override
  protected void backwardValues(INDArray x, INDArray y, INDArray dy, INDArray dx) {
    INDArray mask = scratch(0);
    Nd4j.exec(new Step(x, mask, 0.0)); // 1 where x > 0, else 0
    if (negativeSlope != 0) {
      mask.muli(1 - negativeSlope).addi(negativeSlope);
    }
    dy.muli(mask, dx);
  }
}
