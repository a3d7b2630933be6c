package org.kaffee.layers.loss;

import java.util.Arrays;
import java.util.List;
import org.kaffee.core.Blob;
import org.kaffee.core.BlobCounts;
import org.kaffee.core.DataView;
import org.kaffee.core.Layer;
import org.kaffee.proto.Caffe.AccuracyParameter;
import org.kaffee.proto.Caffe.LayerParameter;

/**
 * Caffe's Accuracy: the fraction of (non-ignored) labels whose class is among the top_k
 * scores along {@code accuracy_param.axis}. As in Caffe, a hit needs fewer than top_k other
 * classes scoring {@code >=} the true class, so a tie counts against the true class (with
 * top_k 1, a tie for the maximum is a miss). An optional second top gives the accuracy per
 * class (0 for a class without samples). No gradient.
 */
public final class AccuracyLayer extends Layer {
  /** accuracy_param.top_k, an unsigned 32-bit field. */
  private long topK;
  private boolean hasIgnoreLabel;
  private int ignoreLabel;
  private int outerNum;
  private int innerNum;
  private int numLabels;
  private int[] perClassCount = new int[0];
  private int[] perClassHits = new int[0];

  public AccuracyLayer(LayerParameter param) {
    super(param, BlobCounts.ranges(2, 2, 1, 2));
  }

  @Override
  public String type() {
    return "Accuracy";
  }

  @Override
  public boolean allowForceBackward(int bottomIndex) {
    return false;
  }

  @Override
  protected void layerSetUp(List<Blob> bottom, List<Blob> top) {
    AccuracyParameter p = param.getAccuracyParam();
    topK = Integer.toUnsignedLong(p.getTopK());
    hasIgnoreLabel = p.hasIgnoreLabel();
    ignoreLabel = p.getIgnoreLabel();
  }

  @Override
  public void reshape(List<Blob> bottom, List<Blob> top) {
    Blob data = bottom.get(0);
    Blob label = bottom.get(1);
    check(label.count() > 0 && topK <= data.count() / label.count(),
        "top_k (%d) must be less than or equal to the number of classes (%d)", topK,
        label.count() == 0 ? 0 : data.count() / label.count());
    int axis = data.canonicalAxisIndex(param.getAccuracyParam().getAxis());
    outerNum = data.count(0, axis);
    innerNum = data.count(axis + 1);
    numLabels = data.shape(axis);
    check(outerNum * innerNum == label.count(),
        "number of labels must match number of predictions; e.g., if label axis == 1 and "
            + "prediction shape is (N, C, H, W), label count (number of labels) must be N*H*W, "
            + "with integer values in {0, 1, ..., C-1}; got predictions %s and labels %s",
        data.shapeString(), label.shapeString());
    top.get(0).reshape();
    if (top.size() > 1) {
      top.get(1).reshape(numLabels);
      if (perClassCount.length != numLabels) {
        perClassCount = new int[numLabels];
        perClassHits = new int[numLabels];
      }
    }
  }

  @Override
  public void forward(List<Blob> bottom, List<Blob> top) {
    DataView data = bottom.get(0).dataView();
    DataView label = bottom.get(1).dataView();
    boolean perClass = top.size() > 1;
    if (perClass) {
      Arrays.fill(perClassCount, 0);
      Arrays.fill(perClassHits, 0);
    }
    int dim = numLabels * innerNum;
    int hits = 0;
    int count = 0;
    for (int i = 0; i < outerNum; i++) {
      for (int j = 0; j < innerNum; j++) {
        int l = (int) label.get(i * innerNum + j);
        if (hasIgnoreLabel && l == ignoreLabel) {
          continue;
        }
        check(l >= 0 && l < numLabels, "label %d (at position %d) is outside [0, %d)", l,
            i * innerNum + j, numLabels);
        if (perClass) {
          perClassCount[l]++;
        }
        double trueScore = data.get(i * dim + l * innerNum + j);
        // The true class counts itself as "at least as good", hence -1.
        int better = -1;
        for (int k = 0; k < numLabels && better < topK; k++) {
          if (data.get(i * dim + k * innerNum + j) >= trueScore) {
            better++;
          }
        }
        if (better < topK) {
          hits++;
          if (perClass) {
            perClassHits[l]++;
          }
        }
        count++;
      }
    }
    top.get(0).dataView().set(0, count == 0 ? 0 : (double) hits / count);
    if (perClass) {
      DataView out = top.get(1).dataView();
      for (int c = 0; c < numLabels; c++) {
        out.set(c, perClassCount[c] == 0 ? 0 : (double) perClassHits[c] / perClassCount[c]);
      }
    }
  }

  @Override
  public void backward(List<Blob> top, boolean[] propagateDown, List<Blob> bottom) {
    for (boolean p : propagateDown) {
      check(!p, "Accuracy has no gradient; it cannot be part of a loss to backpropagate");
    }
  }
}
