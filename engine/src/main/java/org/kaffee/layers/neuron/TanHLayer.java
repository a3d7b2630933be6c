package org.kaffee.layers.neuron;

import org.nd4j.linalg.api.ops.impl.transforms.same.OneMinus;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Tanh;
import org.kaffee.proto.Caffe.LayerParameter;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** y = tanh(x); dx = dy * (1 - y^2), from the top values (in place is fine). */
public final class TanHLayer extends NeuronLayer {
  public TanHLayer(LayerParameter param) {
    super(param);
  }

  @Override
  public String type() {
    return "TanH";
  }

  @Override
  protected int scratchBuffers() {
    return 1;
  }

  @Override
  protected void forwardValues(INDArray x, INDArray y) {
    Nd4j.exec(new Tanh(x, y));
  }

  @Override
  protected void backwardValues(INDArray x, INDArray y, INDArray dy, INDArray dx) {
    INDArray s = scratch(0);
    y.muli(y, s);
    Nd4j.exec(new OneMinus(s, s));
    dy.muli(s, dx);
  }
}
