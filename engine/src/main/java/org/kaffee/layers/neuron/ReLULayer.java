package org.kaffee.layers.neuron;

import org.kaffee.core.DataView;
import org.kaffee.kernels.Rectifier;
import org.kaffee.proto.Caffe.LayerParameter;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * y = max(x, 0) + negative_slope * min(x, 0). Backward derives its mask from the bottom values,
 * which are the top values when in place (same sign for a non-negative slope). float32 runs in
 * oneDNN ({@link Rectifier}); float64 (gradient checks) in one loop with Caffe's comparisons.
 */
public final class ReLULayer extends NeuronLayer {
  private final double negativeSlope;
  private final Rectifier rectifier;

  public ReLULayer(LayerParameter param) {
    super(param);
    negativeSlope = param.getReluParam().getNegativeSlope();
    rectifier = new Rectifier((float) negativeSlope);
  }

  @Override
  public String type() {
    return "ReLU";
  }

  @Override
  protected void forwardValues(INDArray x, INDArray y) {
    if (x.dataType() == DataType.FLOAT) {
      rectifier.forward(x, y);
      return;
    }
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
    if (x.dataType() == DataType.FLOAT) {
      rectifier.backward(x, dy, dx);
      return;
    }
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
