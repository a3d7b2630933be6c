package org.kaffee.layers.loss;

import java.util.Arrays;
import java.util.List;
import org.kaffee.core.Blob;
import org.kaffee.core.BlobCounts;
import org.kaffee.core.DataView;
import org.kaffee.proto.Caffe.LayerParameter;

/**
 * Fast R-CNN's SmoothL1Loss (rbgirshick/caffe-fast-rcnn): with d = inside * (prediction -
 * target), each element costs 0.5 sigma^2 d^2 where |d| < 1 / sigma^2, else |d| - 0.5 / sigma^2;
 * the costs, times the outside weights, are summed and divided by the first dimension. The
 * optional third and fourth bottoms are the inside and outside weights (1 without them). Both
 * the prediction and the target receive gradients, of opposite signs.
 */
public final class SmoothL1LossLayer extends LossLayer {
  private final double sigma2;
  /** d'(x) of each element at the last forward pass, inside weights applied. */
  private double[] slopes = new double[0];

  public SmoothL1LossLayer(LayerParameter param) {
    super(param, BlobCounts.ranges(2, 4, 1, 1));
    double sigma = param.getSmoothL1LossParam().getSigma();
    sigma2 = sigma * sigma;
  }

  @Override
  public String type() {
    return "SmoothL1Loss";
  }

  @Override
  public boolean allowForceBackward(int bottomIndex) {
    return bottomIndex < 2;
  }

  @Override
  public void reshape(List<Blob> bottom, List<Blob> top) {
    super.reshape(bottom, top);
    check(bottom.size() != 3, "takes 2 bottoms, or 4 with inside and outside weights, got 3");
    Blob prediction = bottom.get(0);
    for (int i = 1; i < bottom.size(); i++) {
      check(Arrays.equals(prediction.shape(), bottom.get(i).shape()),
          "bottom %d %s must have the prediction's shape %s", i, bottom.get(i).shapeString(),
          prediction.shapeString());
    }
    if (slopes.length != prediction.count()) {
      slopes = new double[prediction.count()];
    }
  }

  @Override
  public void forward(List<Blob> bottom, List<Blob> top) {
    DataView prediction = bottom.get(0).dataView();
    DataView target = bottom.get(1).dataView();
    boolean weighted = bottom.size() == 4;
    DataView inside = weighted ? bottom.get(2).dataView() : null;
    DataView outside = weighted ? bottom.get(3).dataView() : null;
    double loss = 0;
    for (int i = 0; i < slopes.length; i++) {
      double in = weighted ? inside.get(i) : 1;
      double out = weighted ? outside.get(i) : 1;
      double d = in * (prediction.get(i) - target.get(i));
      boolean quadratic = Math.abs(d) < 1 / sigma2;
      loss += out * (quadratic ? 0.5 * d * d * sigma2 : Math.abs(d) - 0.5 / sigma2);
      slopes[i] = in * out * (quadratic ? sigma2 * d : Math.signum(d));
    }
    top.get(0).dataView().set(0, loss / bottom.get(0).shape(0));
  }

  @Override
  public void backward(List<Blob> top, boolean[] propagateDown, List<Blob> bottom) {
    for (int b = 2; b < propagateDown.length; b++) {
      check(!propagateDown[b], "cannot backpropagate to the inside and outside weights");
    }
    double scale = lossWeight(top) / bottom.get(0).shape(0);
    for (int b = 0; b < 2; b++) {
      if (propagateDown[b]) {
        DataView diff = bottom.get(b).diffView();
        double sign = b == 0 ? 1 : -1;
        for (int i = 0; i < slopes.length; i++) {
          diff.set(i, sign * scale * slopes[i]);
        }
      }
    }
  }
}
