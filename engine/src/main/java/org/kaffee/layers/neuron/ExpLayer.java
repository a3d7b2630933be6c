package org.kaffee.layers.neuron;

import org.kaffee.proto.Caffe.ExpParameter;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Exp;
import org.kaffee.proto.Caffe.LayerParameter;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * y = base^(shift + scale * x) (base -1 means e), computed as
 * outer * exp(inner * x) with inner = ln(base) * scale and outer = base^shift;
 * dx = dy * y * inner, from the top values (in place is fine).
 */
public final class ExpLayer extends NeuronLayer {
  private final double innerScale;
  private final double outerScale;

  public ExpLayer(LayerParameter param) {
    super(param);
    ExpParameter p = param.getExpParam();
    double base = p.getBase();
    innerScale = logOfBase(base) * p.getScale();
    double shift = p.getShift();
    outerScale = shift == 0 ? 1 : (base != -1 ? Math.pow(base, shift) : Math.exp(shift));
  }

  @Override
  public String type() {
    return "Exp";
  }

  @Override
  protected void forwardValues(INDArray x, INDArray y) {
    if (innerScale == 1) {
      Nd4j.exec(new Exp(x, y));
    } else {
      scale(0, x, y, innerScale);
      Nd4j.exec(new Exp(y, y));
    }
    if (outerScale != 1) {
      scale(1, y, y, outerScale);
    }
  }

  @Override
  protected void backwardValues(INDArray x, INDArray y, INDArray dy, INDArray dx) {
    dy.muli(y, dx);
    if (innerScale != 1) {
      scale(2, dx, dx, innerScale);
    }
  }
}
