package org.kaffee.layers.neuron;

import org.kaffee.proto.Caffe.LogParameter;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarReverseDivision;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Log;
import org.kaffee.proto.Caffe.LayerParameter;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * y = log_base(shift + scale * x) (base -1 means e);
 * dx = dy * scale / (ln(base) * (shift + scale * x)).
 */
public final class LogLayer extends NeuronLayer {
  private final double baseScale;
  private final double inputScale;
  private final double inputShift;
  private final double backwardNumScale;

  public LogLayer(LayerParameter param) {
    super(param);
    LogParameter p = param.getLogParam();
    double base = p.getBase();
    double logBase = logOfBase(base);
    baseScale = 1 / logBase;
    check(Double.isFinite(baseScale), "1/log(base) = 1/log(%s) is not finite", base);
    inputScale = p.getScale();
    inputShift = p.getShift();
    backwardNumScale = inputScale / logBase;
  }

  @Override
  public String type() {
    return "Log";
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
    affine(0, 1, x, y, inputScale, inputShift);
    Nd4j.exec(new Log(y, y));
    if (baseScale != 1) {
      scale(4, y, y, baseScale);
    }
  }

  @Override
  protected void backwardValues(INDArray x, INDArray y, INDArray dy, INDArray dx) {
    INDArray s = scratch(0);
    affine(2, 3, x, s, inputScale, inputShift);
    exec(5, s, s, (a, b) -> new ScalarReverseDivision(a, null, b, backwardNumScale));
    dy.muli(s, dx);
  }
}
