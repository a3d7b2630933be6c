package org.kaffee.layers.loss;

import java.util.List;
import org.kaffee.core.Blob;
import org.kaffee.core.BlobCounts;
import org.kaffee.core.DataView;
import org.kaffee.core.LossNormalization;
import org.kaffee.proto.Caffe.LayerParameter;
import org.kaffee.proto.Caffe.LossParameter;
import org.kaffee.proto.Caffe.LossParameter.NormalizationMode;

/**
 * The part SoftmaxWithLoss and InfogainLoss share: a softmax of the predictions over one
 * axis into {@link #prob}, one integer label per (outer, inner) position, an optional
 * ignore label, and an optional second top that shows the probabilities.
 */
abstract class SoftmaxLabelLossLayer extends LossLayer {
  protected Blob prob;
  protected final Softmax softmax = new Softmax();
  protected boolean hasIgnoreLabel;
  protected int ignoreLabel;
  protected NormalizationMode normalization;
  /** Product of the dimensions before the softmax axis. */
  protected int outerNum;
  /** Product of the dimensions after the softmax axis. */
  protected int innerNum;
  /** Size of the softmax axis: the number of classes a label may name. */
  protected int numLabels;

  /** Predictions, labels; the loss and optionally the probabilities. */
  protected SoftmaxLabelLossLayer(LayerParameter param) {
    this(param, 2);
  }

  protected SoftmaxLabelLossLayer(LayerParameter param, int maxBottoms) {
    super(param, BlobCounts.ranges(2, maxBottoms, 1, 2));
  }

  /** The axis the softmax runs over, as given in the layer's parameters (may be negative). */
  protected abstract int softmaxAxisParam();

  /** What the axis is called in the label-count error ("softmax", "infogain"), as in Caffe. */
  protected abstract String axisName();

  /** The normalization mode; each layer treats the legacy {@code normalize} its own way. */
  protected abstract NormalizationMode readNormalization(LossParameter lp);

  @Override
  protected void layerSetUp(List<Blob> bottom, List<Blob> top) {
    LossParameter lp = param.getLossParam();
    hasIgnoreLabel = lp.hasIgnoreLabel();
    ignoreLabel = lp.getIgnoreLabel();
    normalization = readNormalization(lp);
    prob = new Blob(bottom.get(0).dataType(), bottom.get(0).shape());
  }

  @Override
  public void reshape(List<Blob> bottom, List<Blob> top) {
    super.reshape(bottom, top);
    Blob data = bottom.get(0);
    int axis = data.canonicalAxisIndex(softmaxAxisParam());
    outerNum = data.count(0, axis);
    innerNum = data.count(axis + 1);
    numLabels = data.shape(axis);
    check(outerNum * innerNum == bottom.get(1).count(),
        "number of labels must match number of predictions; e.g., if %s axis == 1 and "
            + "prediction shape is (N, C, H, W), label count (number of labels) must be N*H*W, "
            + "with integer values in {0, 1, ..., C-1}; got predictions %s and labels %s",
        axisName(), data.shapeString(), bottom.get(1).shapeString());
    prob.reshapeLike(data);
    if (top.size() >= 2) {
      top.get(1).reshapeLike(data);
      if (!top.get(1).sharesDataWith(prob)) {
        top.get(1).shareData(prob);
      }
    }
  }

  protected boolean isIgnored(int labelValue) {
    return hasIgnoreLabel && labelValue == ignoreLabel;
  }

  /** The label of position (outer {@code i}, inner {@code j}). */
  protected int labelAt(DataView labels, int i, int j) {
    return label(labels.get(i * innerNum + j));
  }

  /** Fails on a label outside the classes; the position is named only when there are several. */
  protected void checkLabelAt(int labelValue, int i, int j) {
    checkLabel(labelValue, numLabels, i, innerNum > 1 ? j : -1);
  }

  /** An ignored label's position gets no gradient in any class. */
  protected void clearGradientAt(DataView diff, int i, int j) {
    int dim = numLabels * innerNum;
    for (int c = 0; c < numLabels; c++) {
      diff.set(i * dim + c * innerNum + j, 0);
    }
  }

  /** Sets the summed loss of {@code validCount} labels, divided as the normalization mode says. */
  protected void setNormalizedLoss(List<Blob> top, double loss, int validCount) {
    top.get(0).dataView().set(0, loss / LossNormalization.normalizer(normalization, outerNum, innerNum, validCount));
  }

  /** The factor on the gradient: the loss weight over the same normalizer as the loss. */
  protected double gradientScale(List<Blob> top, int validCount) {
    return lossWeight(top) / LossNormalization.normalizer(normalization, outerNum, innerNum, validCount);
  }
}
