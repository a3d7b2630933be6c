package org.kaffee.layers.neuron;

import org.nd4j.linalg.api.ops.impl.transforms.same.Abs;
import org.nd4j.linalg.api.ops.impl.transforms.same.Sign;
import org.kaffee.proto.Caffe.LayerParameter;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** y = |x|; dx = dy * sign(x), sign(0) = 0. */
public final class AbsValLayer extends NeuronLayer {
  public AbsValLayer(LayerParameter param) {
    super(param);
  }

  @Override
  public String type() {
    return "AbsVal";
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
    Nd4j.exec(new Abs(x, y));
  }

  @Override
  protected void backwardValues(INDArray x, INDArray y, INDArray dy, INDArray dx) {
    INDArray s = scratch(0);
    Nd4j.exec(new Sign(x, s));
    dy.muli(s, dx);
  }
}
