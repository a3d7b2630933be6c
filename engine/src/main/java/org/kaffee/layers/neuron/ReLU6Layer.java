package org.kaffee.layers.neuron;

import org.kaffee.core.DataView;
import org.kaffee.proto.Caffe.LayerParameter;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * ReLU6 of the MobileNetV2 forks: y = min(max(x, 0), 6) + negative_slope * min(x, 0), where the
 * forks that give it a {@code relu6_param} add the slope (0 by default, as in those without).
 * The gradient passes where 0 < x < 6 and is negative_slope where x <= 0, as the forks compute
 * it; one loop serves float32 and float64.
 */
public final class ReLU6Layer extends NeuronLayer {
  private static final double CEILING = 6;
  private final double negativeSlope;

  public ReLU6Layer(LayerParameter param) {
    super(param);
    negativeSlope = param.getRelu6Param().getNegativeSlope();
  }

  @Override
  public String type() {
    return "ReLU6";
  }

  @Override
  protected boolean backwardReadsBottom() {
    return true;
  }

  @Override
  protected void forwardValues(INDArray x, INDArray y) {
    int n = (int) x.length();
    DataView in = DataView.of(x, n);
    DataView out = DataView.of(y, n);
    for (int i = 0; i < n; i++) {
      double v = in.get(i);
      out.set(i, Math.min(Math.max(v, 0), CEILING) + negativeSlope * Math.min(v, 0));
    }
  }

  @Override
  protected void backwardValues(INDArray x, INDArray y, INDArray dy, INDArray dx) {
    int n = (int) x.length();
    DataView in = DataView.of(x, n);
    DataView topDiff = DataView.of(dy, n);
    DataView bottomDiff = DataView.of(dx, n);
    for (int i = 0; i < n; i++) {
      double v = in.get(i);
      double slope = v > 0 && v < CEILING ? 1 : v <= 0 ? negativeSlope : 0;
      bottomDiff.set(i, topDiff.get(i) * slope);
    }
  }
}
