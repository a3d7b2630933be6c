package org.kaffee.layers.neuron;

import org.kaffee.proto.Caffe.SwishParameter;
import org.nd4j.linalg.api.ops.impl.transforms.same.OneMinus;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Sigmoid;
import org.kaffee.proto.Caffe.LayerParameter;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * y = x * sigmoid(beta * x); dx = dy * (s + beta * y * (1 - s)) with s = sigmoid(beta * x)
 * kept from forward, so backward reads only the top and s (in place is fine).
 */
public final class SwishLayer extends NeuronLayer {
  private final double beta;

  public SwishLayer(LayerParameter param) {
    super(param);
    SwishParameter p = param.getSwishParam();
    beta = p.getBeta();
  }

  @Override
  public String type() {
    return "Swish";
  }

  @Override
  protected int scratchBuffers() {
    return 2;
  }

  @Override
  protected void forwardValues(INDArray x, INDArray y) {
    INDArray s = scratch(0);
    scale(0, x, s, beta);
    Nd4j.exec(new Sigmoid(s, s));
    x.muli(s, y);
  }

  @Override
  protected void backwardValues(INDArray x, INDArray y, INDArray dy, INDArray dx) {
    INDArray s = scratch(0);
    INDArray f = scratch(1);
    Nd4j.exec(new OneMinus(s, f));
    f.muli(y);
    scale(1, f, f, beta);
    f.addi(s);
    dy.muli(f, dx);
  }
}
