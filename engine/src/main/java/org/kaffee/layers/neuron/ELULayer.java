package org.kaffee.layers.neuron;

import org.nd4j.linalg.api.ops.impl.transforms.strict.Exp;
import org.kaffee.proto.Caffe.LayerParameter;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * y = max(x, 0) + alpha * (exp(min(x, 0)) - 1); dx = dy where x > 0, dy * (alpha + y)
 * elsewhere.
 */
public final class ELULayer extends NeuronLayer {
  private final double alpha;

  public ELULayer(LayerParameter param) {
    super(param);
    alpha = param.getEluParam().getAlpha();
  }

  @Override
  public String type() {
    return "ELU";
  }

  @Override
  protected boolean backwardReadsBottom() {
    return true;
  }

  @Override
  protected int scratchBuffers() {
    return 2;
  }

  @Override
  protected void forwardValues(INDArray x, INDArray y) {
    INDArray s = scratch(0);
    min(0, x, s, 0);
    Nd4j.exec(new Exp(s, s));
    shift(1, s, s, -1);
    scale(2, s, s, alpha);
    max(3, x, y, 0);
    y.addi(s);
  }

  @Override
  protected void backwardValues(INDArray x, INDArray y, INDArray dy, INDArray dx) {
    // factor = a + m - m * a with a = alpha + y and m = (x > 0): 1 where x > 0, else a.
    INDArray a = scratch(0);
    INDArray m = scratch(1);
    shift(4, y, a, alpha);
    step(5, x, m, 0);
    m.muli(a);
    a.subi(m);
    step(5, x, m, 0);
    a.addi(m);
    dy.muli(a, dx);
  }
}
