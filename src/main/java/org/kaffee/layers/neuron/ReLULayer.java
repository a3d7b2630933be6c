package org.kaffee.layers.neuron;

import org.kaffee.core.DataView;
import org.kaffee.proto.Caffe.LayerParameter;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * y = max(x, 0) + negative_slope * min(x, 0), with std::max and std::min's comparisons (so the
 * sign of a zero and NaN pass through as in Caffe). Backward derives its mask from the bottom
 * values, which are the top values when in place (same sign for a non-negative slope). One loop
 * per pass: an ND4J op costs more to set up than this loop takes at LeNet's sizes.
 */
public final class ReLULayer extends NeuronLayer {
  private final double negativeSlope;

  public ReLULayer(LayerParameter param) {
    super(param);
    negativeSlope = param.getReluParam().getNegativeSlope();
  }

  @Override
  public String type() {
    return "ReLU";
  }

  @Override
  protected void forwardValues(INDArray x, INDArray y) {
    int n = (int) x.length();
    DataView in = DataView.of(x, n);
    DataView out = DataView.of(y, n);
    for (int i = 0; i < n; i++) {
      double v = in.get(i);
      out.set(i, (v < 0 ? 0 : v) + negativeSlope * (0 < v ? 0 : v));
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
      bottomDiff.set(i, topDiff.get(i) * ((v > 0 ? 1 : 0) + negativeSlope * (v <= 0 ? 1 : 0)));
    }
  }
}
