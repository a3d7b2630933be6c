package org.kaffee.layers.neuron;

import org.kaffee.proto.Caffe.PowerParameter;
import org.nd4j.linalg.api.ops.impl.scalar.Pow;
import org.kaffee.proto.Caffe.LayerParameter;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * y = (shift + scale * x)^power, with Caffe's special cases: a constant output when
 * power * scale is 0, and in backward the cases power 1, power 2 and shift 0.
 */
public final class PowerLayer extends NeuronLayer {
  private final double power;
  private final double scale;
  private final double shift;
  private final double diffScale;

  public PowerLayer(LayerParameter param) {
    super(param);
    PowerParameter p = param.getPowerParam();
    power = p.getPower();
    scale = p.getScale();
    shift = p.getShift();
    diffScale = power * scale;
  }

  @Override
  public String type() {
    return "Power";
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
    if (diffScale == 0) {
      y.assign(power == 0 ? 1.0 : Math.pow(shift, power));
      return;
    }
    if (scale != 1) {
      x.muli(scale, y);
    } else if (y != x) {
      y.assign(x);
    }
    if (shift != 0) {
      y.addi(shift);
    }
    if (power != 1) {
      Nd4j.exec(new Pow(y, y, power));
    }
  }

  @Override
  protected void backwardValues(INDArray x, INDArray y, INDArray dy, INDArray dx) {
    if (diffScale == 0) {
      dx.assign(0);
      return;
    }
    if (power == 1) {
      dy.muli(diffScale, dx);
      return;
    }
    INDArray s = scratch(0);
    if (power == 2) {
      // dy/dx = 2 * scale * (shift + scale * x) = diff_scale * shift + diff_scale * scale * x
      x.muli(diffScale * scale, s);
      if (shift != 0) {
        s.addi(diffScale * shift);
      }
    } else if (shift == 0) {
      // dy/dx = power * y / x
      y.divi(x, s);
      s.muli(power);
    } else {
      // dy/dx = diff_scale * y / (shift + scale * x)
      x.muli(scale, s);
      s.addi(shift);
      s.rdivi(y, s);
      if (diffScale != 1) {
        s.muli(diffScale);
      }
    }
    dy.muli(s, dx);
  }
}
