package org.kaffee.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.kaffee.core.Blob;
import org.kaffee.core.DataView;
import org.kaffee.core.Layer;
import org.kaffee.core.Rng;

/**
 * Caffe's GradientChecker: compares a layer's backward with centred finite differences of
 * its forward. The objective is either half the sum of squares of all tops, or twice one
 * top element; each checked value's gradient must agree within
 * {@code threshold * max(|analytic|, |numeric|, 1)}. Values within {@code kinkRange} of
 * {@code kink} are skipped (non-differentiable points such as ReLU's 0).
 * Use double-precision blobs (DataType.DOUBLE) with step 1e-2 and threshold 1e-3.
 */
public final class GradientChecker {
  private final double step;
  private final double threshold;
  private final long seed;
  private final double kink;
  private final double kinkRange;

  public GradientChecker(double step, double threshold) {
    this(step, threshold, 1701, 0, -1);
  }

  public GradientChecker(double step, double threshold, long seed, double kink, double kinkRange) {
    this.step = step;
    this.threshold = threshold;
    this.seed = seed;
    this.kink = kink;
    this.kinkRange = kinkRange;
  }

  /** Sets the layer up, then checks the gradient of the sum-of-squares objective. */
  public void checkGradient(Layer layer, List<Blob> bottom, List<Blob> top) {
    checkGradient(layer, bottom, top, -1);
  }

  /** As {@link #checkGradient(Layer, List, List)}, for one bottom only (-1: all bottoms). */
  public void checkGradient(Layer layer, List<Blob> bottom, List<Blob> top, int checkBottom) {
    layer.setUp(bottom, top);
    checkSingle(layer, bottom, top, checkBottom, -1, -1, false);
  }

  /** Checks the gradient of every top element separately. */
  public void checkGradientExhaustive(Layer layer, List<Blob> bottom, List<Blob> top, int checkBottom) {
    layer.setUp(bottom, top);
    for (int i = 0; i < top.size(); i++) {
      for (int j = 0; j < top.get(i).count(); j++) {
        checkSingle(layer, bottom, top, checkBottom, i, j, false);
      }
    }
  }

  /** For element-wise layers: each top element depends only on the same bottom element. */
  public void checkGradientEltwise(Layer layer, List<Blob> bottom, List<Blob> top) {
    layer.setUp(bottom, top);
    for (int i = 0; i < top.size(); i++) {
      for (int j = 0; j < top.get(i).count(); j++) {
        checkSingle(layer, bottom, top, -1, i, j, true);
      }
    }
  }

  public void checkSingle(Layer layer, List<Blob> bottom, List<Blob> top, int checkBottom,
      int topId, int topDataId, boolean elementWise) {
    List<Blob> toCheck = new ArrayList<>();
    boolean[] propagateDown = new boolean[bottom.size()];
    for (Blob param : layer.blobs()) {
      param.diff().assign(0);
      toCheck.add(param);
    }
    for (int i = 0; i < bottom.size(); i++) {
      if (checkBottom < 0 || checkBottom == i) {
        toCheck.add(bottom.get(i));
        propagateDown[i] = true;
      }
    }
    // As Caffe's checker: forward first, so the objective's gradient is taken at the current
    // output (the sum-of-squares objective reads the top values).
    Rng.seed(seed);
    layer.forwardWithLoss(bottom, top);
    objective(top, topId, topDataId);
    layer.backward(top, propagateDown, bottom);
    List<double[]> computed = new ArrayList<>();
    for (Blob blob : toCheck) {
      computed.add(blob.diff().dup().data().asDouble());
    }
    for (int b = 0; b < toCheck.size(); b++) {
      Blob blob = toCheck.get(b);
      DataView data = blob.dataView();
      for (int k = 0; k < blob.count(); k++) {
        double estimated = 0;
        if (!elementWise || k == topDataId) {
          double original = data.get(k);
          data.set(k, original + step);
          Rng.seed(seed);
          layer.forwardWithLoss(bottom, top);
          double positive = objective(top, topId, topDataId);
          data.set(k, original - step);
          Rng.seed(seed);
          layer.forwardWithLoss(bottom, top);
          double negative = objective(top, topId, topDataId);
          data.set(k, original);
          estimated = (positive - negative) / step / 2.0;
        }
        double analytic = computed.get(b)[k];
        double feature = data.get(k);
        if (kink - kinkRange > Math.abs(feature) || Math.abs(feature) > kink + kinkRange) {
          double scale = Math.max(Math.max(Math.abs(analytic), Math.abs(estimated)), 1.0);
          final int blobIndex = b;
          final int element = k;
          assertEquals(estimated, analytic, threshold * scale,
              () -> "gradient of checked blob " + blobIndex + " element " + element
                  + " (top " + topId + ", element " + topDataId + ")");
        }
      }
    }
  }

  /** The objective and its gradient, written into the top diffs. */
  private static double objective(List<Blob> top, int topId, int topDataId) {
    double loss = 0;
    if (topId < 0) {
      for (Blob blob : top) {
        DataView d = blob.dataView();
        DataView g = blob.diffView();
        for (int j = 0; j < blob.count(); j++) {
          loss += d.get(j) * d.get(j);
          g.set(j, d.get(j));
        }
      }
      return loss / 2;
    }
    for (Blob blob : top) {
      blob.diff().assign(0);
    }
    Blob blob = top.get(topId);
    blob.diffView().set(topDataId, 2.0);
    return blob.dataView().get(topDataId) * 2.0;
  }
}
