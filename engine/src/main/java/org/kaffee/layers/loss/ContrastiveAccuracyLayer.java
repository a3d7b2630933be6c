package org.kaffee.layers.loss;

import java.util.Arrays;
import java.util.List;
import org.kaffee.core.Blob;
import org.kaffee.core.BlobCounts;
import org.kaffee.core.DataView;
import org.kaffee.core.Layer;
import org.kaffee.proto.Caffe.LayerParameter;

/**
 * Kaffee's ContrastiveAccuracy, the test-time companion of ContrastiveLoss. Bottoms: {@code
 * feat} [N, D...], {@code feat_p} of the same shape, {@code sim} with N labels ([N] or [N, 1, 1,
 * 1]). A pair is predicted similar when the Euclidean distance of its features is below {@code
 * contrastive_accuracy_param.margin} (default 1); the scalar top is the fraction of pairs whose
 * prediction equals the label (similar when the label, truncated to an integer as
 * ContrastiveLoss reads it, is non-zero). An optional second top receives the mean
 * distance. No gradient.
 */
public final class ContrastiveAccuracyLayer extends Layer {
  private double margin;
  private int num;
  private int dim;

  public ContrastiveAccuracyLayer(LayerParameter param) {
    super(param, BlobCounts.ranges(3, 3, 1, 2));
  }

  @Override
  public String type() {
    return "ContrastiveAccuracy";
  }

  @Override
  public boolean allowForceBackward(int bottomIndex) {
    return false;
  }

  @Override
  protected void layerSetUp(List<Blob> bottom, List<Blob> top) {
    margin = param.getContrastiveAccuracyParam().getMargin();
    check(!Double.isNaN(margin), "margin must be a number, got %s", margin);
  }

  @Override
  public void reshape(List<Blob> bottom, List<Blob> top) {
    Blob a = bottom.get(0);
    Blob b = bottom.get(1);
    Blob sim = bottom.get(2);
    check(a.numAxes() >= 1, "bottom 0 (feat) needs shape [N, D...], got a scalar");
    check(Arrays.equals(a.shape(), b.shape()),
        "bottoms 0 (feat) and 1 (feat_p) must have the same shape, got %s and %s",
        a.shapeString(), b.shapeString());
    num = a.shape(0);
    dim = a.count(1);
    check(sim.count() == num,
        "bottom 2 (sim) must hold one label per pair: %d for feat %s, got %s (%d values)", num,
        a.shapeString(), sim.shapeString(), sim.count());
    for (Blob t : top) {
      t.reshape();
    }
  }

  @Override
  public void forward(List<Blob> bottom, List<Blob> top) {
    DataView a = bottom.get(0).dataView();
    DataView b = bottom.get(1).dataView();
    DataView sim = bottom.get(2).dataView();
    int correct = 0;
    double distSum = 0;
    for (int i = 0; i < num; i++) {
      double dist = Math.sqrt(ContrastiveLossLayer.squaredDistance(a, b, i, dim));
      distSum += dist;
      boolean predictedSimilar = dist < margin;
      boolean similar = (int) sim.get(i) != 0; // truncated, as ContrastiveLoss reads it
      if (predictedSimilar == similar) {
        correct++;
      }
    }
    top.get(0).dataView().set(0, num == 0 ? 0 : (double) correct / num);
    if (top.size() > 1) {
      top.get(1).dataView().set(0, num == 0 ? 0 : distSum / num);
    }
  }

  @Override
  public void backward(List<Blob> top, boolean[] propagateDown, List<Blob> bottom) {
    for (boolean p : propagateDown) {
      check(!p, "ContrastiveAccuracy has no gradient; it cannot be part of a loss to "
          + "backpropagate");
    }
  }
}
