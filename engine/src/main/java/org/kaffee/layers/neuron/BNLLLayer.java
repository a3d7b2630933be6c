package org.kaffee.layers.neuron;

import org.nd4j.linalg.api.ops.impl.transforms.same.Abs;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Exp;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Log1p;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Sigmoid;
import org.kaffee.proto.Caffe.LayerParameter;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Binomial normal log likelihood: y = log(1 + exp(x)), computed as
 * max(x, 0) + log(1 + exp(-|x|)) as Caffe does; dx = dy * exp(x) / (1 + exp(x)).
 */
public final class BNLLLayer extends NeuronLayer {
  public BNLLLayer(LayerParameter param) {
    super(param);
  }

  @Override
  public String type() {
    return "BNLL";
  }

  @Override
  protected boolean backwardReadsBottom() {
    return true;
  }

  @Override
  protected int scratchBuffers() {
    return 1;
  }

  @Override
  protected void forwardValues(INDArray x, INDArray y) {
    INDArray s = scratch(0);
    Nd4j.exec(new Abs(x, s));
    s.negi();
    Nd4j.exec(new Exp(s, s));
    Nd4j.exec(new Log1p(s, s));
    max(0, x, y, 0);
    y.addi(s);
  }

  @Override
  protected void backwardValues(INDArray x, INDArray y, INDArray dy, INDArray dx) {
    INDArray s = scratch(0);
    Nd4j.exec(new Sigmoid(x, s));
    dy.muli(s, dx);
  }
}
