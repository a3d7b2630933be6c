package org.kaffee.layers.neuron;

import org.kaffee.proto.Caffe.PowerParameter;
import org.nd4j.linalg.api.ops.impl.scalar.Pow;
import org.kaffee.proto.Caffe.LayerParameter;
import org.nd4j.linalg.api.ndarray.INDArray;

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
    affine(0, 1, x, y, scale, shift);
    if (power != 1) {
      exec(2, y, y, (a, b) -> new Pow(a, b, power));
    }
  }

  @Override
  protected void backwardValues(INDArray x, INDArray y, INDArray dy, INDArray dx) {
    if (diffScale == 0) {
      dx.assign(0);
      return;
    }
    if (power == 1) {
      scale(3, dy, dx, diffScale);
      return;
    }
    INDArray s = scratch(0);
    if (power == 2) {
      // dy/dx = 2 * scale * (shift + scale * x) = diff_scale * shift + diff_scale * scale * x
      scale(4, x, s, diffScale * scale);
      if (shift != 0) {
        shift(5, s, s, diffScale * shift);
      }
    } else if (shift == 0) {
      // dy/dx = power * y / x
      y.divi(x, s);
      scale(6, s, s, power);
    } else {
      // dy/dx = diff_scale * y / (shift + scale * x)
      scale(7, x, s, scale);
      shift(8, s, s, shift);
      s.rdivi(y, s);
      if (diffScale != 1) {
        scale(9, s, s, diffScale);
      }
    }
    dy.muli(s, dx);
  }
}
