package org.kaffee.layers.loss;

import java.util.List;
import org.kaffee.core.Blob;
import org.kaffee.core.BlobCounts;
import org.kaffee.core.DataView;
import org.kaffee.proto.Caffe.ContrastiveLossParameter;
import org.kaffee.proto.Caffe.LayerParameter;

/**
 * Caffe's ContrastiveLoss on pairs {@code (a_i, b_i)} with similarity labels {@code y_i}:
 * {@code 1/(2N) sum [y d^2 + (1-y) max(margin - d, 0)^2]}, d the Euclidean distance; with
 * {@code legacy_version} the dissimilar term is {@code max(margin - d^2, 0)}. A label counts
 * as similar when its integer part is non-zero. Gradients go to both feature bottoms.
 */
public final class ContrastiveLossLayer extends LossLayer {
  private double margin;
  private boolean legacy;
  private double[] distSq = new double[0];
  private int num;
  private int channels;

  public ContrastiveLossLayer(LayerParameter param) {
    super(param, BlobCounts.of(3, 1));
  }

  @Override
  public String type() {
    return "ContrastiveLoss";
  }

  @Override
  public boolean allowForceBackward(int bottomIndex) {
    return bottomIndex != 2;
  }

  @Override
  protected void layerSetUp(List<Blob> bottom, List<Blob> top) {
    ContrastiveLossParameter p = param.getContrastiveLossParam();
    margin = p.getMargin();
    legacy = p.getLegacyVersion();
  }

  @Override
  public void reshape(List<Blob> bottom, List<Blob> top) {
    Blob a = bottom.get(0);
    Blob b = bottom.get(1);
    Blob sim = bottom.get(2);
    check(a.numAxes() > 0 && b.numAxes() > 0, "feature bottoms need at least one axis");
    num = a.shape(0);
    channels = a.count(1);
    check(b.shape(0) == num && b.count(1) == channels,
        "the two feature bottoms must have the same shape, got %s and %s", a.shapeString(),
        b.shapeString());
    check(sim.count() == num, "the similarity bottom must hold one label per pair (%d), got %s",
        num, sim.shapeString());
    if (distSq.length < num) {
      distSq = new double[num];
    }
    top.get(0).reshape();
  }

  @Override
  public void forward(List<Blob> bottom, List<Blob> top) {
    DataView a = bottom.get(0).dataView();
    DataView b = bottom.get(1).dataView();
    DataView sim = bottom.get(2).dataView();
    double loss = 0;
    for (int i = 0; i < num; i++) {
      double d2 = squaredDistance(a, b, i, channels);
      distSq[i] = d2;
      if (label(sim.get(i)) != 0) {
        loss += d2;
      } else if (legacy) {
        loss += Math.max(margin - d2, 0);
      } else {
        double m = Math.max(margin - Math.sqrt(d2), 0);
        loss += m * m;
      }
    }
    top.get(0).dataView().set(0, loss / num / 2.0);
  }

  /**
   * {@code ||a_i - b_i||^2} of pair {@code i}, {@code dim} features each; ContrastiveAccuracy
   * measures its pairs with the same sum so that its threshold agrees with this loss.
   */
  static double squaredDistance(DataView a, DataView b, int i, int dim) {
    double sum = 0;
    for (int c = i * dim; c < (i + 1) * dim; c++) {
      double d = a.get(c) - b.get(c);
      sum += d * d;
    }
    return sum;
  }

  @Override
  public void backward(List<Blob> top, boolean[] propagateDown, List<Blob> bottom) {
    DataView a = bottom.get(0).dataView();
    DataView b = bottom.get(1).dataView();
    DataView sim = bottom.get(2).dataView();
    double weight = lossWeight(top);
    for (int k = 0; k < 2; k++) {
      if (!propagateDown[k]) {
        continue;
      }
      double alpha = (k == 0 ? 1 : -1) * weight / num;
      DataView out = bottom.get(k).diffView();
      for (int i = 0; i < num; i++) {
        double scale;
        if (label(sim.get(i)) != 0) {
          scale = alpha;
        } else if (legacy) {
          scale = margin - distSq[i] > 0 ? -alpha : 0;
        } else {
          double dist = Math.sqrt(distSq[i]);
          double mdist = margin - dist;
          scale = mdist > 0 ? -alpha * mdist / (dist + 1e-4) : 0;
        }
        for (int c = i * channels; c < (i + 1) * channels; c++) {
          out.set(c, scale == 0 ? 0 : scale * (a.get(c) - b.get(c)));
        }
      }
    }
  }
}
