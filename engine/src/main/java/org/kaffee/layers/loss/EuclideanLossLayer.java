package org.kaffee.layers.loss;

import java.util.List;
import org.kaffee.core.Blob;
import org.kaffee.proto.Caffe.LayerParameter;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Caffe's EuclideanLoss: {@code sum((a - b)^2) / N / 2} with N the first dimension. Both
 * bottoms get gradients ({@code ±weight (a - b) / N}), so force_backward reaches both.
 */
public final class EuclideanLossLayer extends LossLayer {
  private Blob diff;

  public EuclideanLossLayer(LayerParameter param) {
    super(param);
  }

  @Override
  public String type() {
    return "EuclideanLoss";
  }

  @Override
  public boolean allowForceBackward(int bottomIndex) {
    return true;
  }

  @Override
  protected void layerSetUp(List<Blob> bottom, List<Blob> top) {
    diff = new Blob(bottom.get(0).dataType(), bottom.get(0).count());
  }

  @Override
  public void reshape(List<Blob> bottom, List<Blob> top) {
    super.reshape(bottom, top);
    check(bottom.get(0).count(1) == bottom.get(1).count(1),
        "inputs must have the same dimension, got %s and %s", bottom.get(0).shapeString(),
        bottom.get(1).shapeString());
    diff.reshape(bottom.get(0).count());
  }

  private static INDArray flat(INDArray a, int count) {
    return a.rank() == 1 ? a : a.reshape(count);
  }

  @Override
  public void forward(List<Blob> bottom, List<Blob> top) {
    int count = bottom.get(0).count();
    INDArray d = diff.data();
    d.assign(flat(bottom.get(0).data(), count)).subi(flat(bottom.get(1).data(), count));
    double dot = count == 0 ? 0 : Nd4j.getBlasWrapper().dot(d, d);
    top.get(0).dataView().set(0, dot / bottom.get(0).shape(0) / 2.0);
  }

  @Override
  public void backward(List<Blob> top, boolean[] propagateDown, List<Blob> bottom) {
    double weight = lossWeight(top);
    for (int i = 0; i < 2; i++) {
      if (propagateDown[i]) {
        Blob b = bottom.get(i);
        double alpha = (i == 0 ? 1 : -1) * weight / b.shape(0);
        flat(b.diff(), b.count()).assign(diff.data()).muli(alpha);
      }
    }
  }
}
