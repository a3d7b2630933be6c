package org.kaffee.layers.neuron;

import org.nd4j.linalg.api.ops.impl.transforms.same.TimesOneMinus;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Sigmoid;
import org.kaffee.proto.Caffe.LayerParameter;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** y = 1 / (1 + exp(-x)); dx = dy * y * (1 - y), from the top values (in place is fine). */
public final class SigmoidLayer extends NeuronLayer {
  public SigmoidLayer(LayerParameter param) {
    super(param);
  }

  @Override
  public String type() {
    return "Sigmoid";
  }

  @Override
  protected int scratchBuffers() {
    return 1;
  }

  @Override
  protected void forwardValues(INDArray x, INDArray y) {
    Nd4j.exec(new Sigmoid(x, y));
  }

  @Override
  protected void backwardValues(INDArray x, INDArray y, INDArray dy, INDArray dx) {
    INDArray s = scratch(0);
    Nd4j.exec(new TimesOneMinus(y, s));
    dy.muli(s, dx);
  }
}
