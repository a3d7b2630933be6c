package org.kaffee.layers.neuron;

import org.kaffee.proto.Caffe.ClipParameter;
import org.nd4j.linalg.api.ops.impl.transforms.same.OneMinus;
import org.kaffee.proto.Caffe.LayerParameter;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** y = max(min, min(x, max)); dx = dy where min <= x <= max, else 0. */
public final class ClipLayer extends NeuronLayer {
  private final double min;
  private final double max;

  public ClipLayer(LayerParameter param) {
    super(param);
    ClipParameter p = param.getClipParam();
    min = p.getMin();
    max = p.getMax();
  }

  @Override
  public String type() {
    return "Clip";
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
    min(0, x, y, max);
    max(1, y, y, min);
  }

  @Override
  protected void backwardValues(INDArray x, INDArray y, INDArray dy, INDArray dx) {
    if (min > max) {
      dx.assign(0); // no x lies in [min, max]
      return;
    }
    // inside = 1 - (x > max) - (-x > -min)
    INDArray inside = scratch(0);
    INDArray below = scratch(1);
    step(2, x, inside, max);
    scale(3, x, below, -1);
    step(4, below, below, -min);
    inside.addi(below);
    Nd4j.exec(new OneMinus(inside, inside));
    dy.muli(inside, dx);
  }
}
