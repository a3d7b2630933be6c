package org.kaffee.layers.loss;

import java.util.List;
import org.kaffee.core.Blob;
import org.kaffee.core.DataView;
import org.kaffee.proto.Caffe.LayerParameter;
import org.kaffee.proto.Caffe.LossParameter;
import org.kaffee.proto.Caffe.LossParameter.NormalizationMode;

/**
 * Caffe's SoftmaxWithLoss: the softmax of the predictions over {@code softmax_param.axis}
 * (default 1), then the mean negative log-probability of the true labels. Labels equal to
 * {@code loss_param.ignore_label} add nothing and get no gradient; the sum is divided as
 * {@code loss_param.normalization} says (default VALID: the number of non-ignored labels;
 * the legacy {@code normalize: false} means BATCH_SIZE). An optional second top receives the
 * probabilities. Gradient: {@code (prob - onehot(label)) * weight / normalizer}.
 */
public final class SoftmaxWithLossLayer extends LossLayer {
  private Blob prob;
  private final Softmax softmax = new Softmax();
  private boolean hasIgnoreLabel;
  private int ignoreLabel;
  private NormalizationMode normalization;
  private int axis;
  private int outerNum;
  private int innerNum;
  private int channels;

  public SoftmaxWithLossLayer(LayerParameter param) {
    super(param);
  }

  @Override
  public String type() {
    return "SoftmaxWithLoss";
  }

  @Override
  public int exactNumTopBlobs() {
    return -1;
  }

  @Override
  public int minTopBlobs() {
    return 1;
  }

  @Override
  public int maxTopBlobs() {
    return 2;
  }

  @Override
  protected void layerSetUp(List<Blob> bottom, List<Blob> top) {
    LossParameter lp = param.getLossParam();
    hasIgnoreLabel = lp.hasIgnoreLabel();
    ignoreLabel = lp.getIgnoreLabel();
    normalization = normalizationMode(lp, lp.getNormalization());
    prob = new Blob(bottom.get(0).dataType(), bottom.get(0).shape());
  }

  @Override
  public void reshape(List<Blob> bottom, List<Blob> top) {
    super.reshape(bottom, top);
    Blob data = bottom.get(0);
    axis = data.canonicalAxisIndex(param.getSoftmaxParam().getAxis());
    outerNum = data.count(0, axis);
    innerNum = data.count(axis + 1);
    channels = data.shape(axis);
    check(outerNum * innerNum == bottom.get(1).count(),
        "number of labels must match number of predictions; e.g., if softmax axis == 1 and "
            + "prediction shape is (N, C, H, W), label count (number of labels) must be N*H*W, "
            + "with integer values in {0, 1, ..., C-1}; got predictions %s and labels %s",
        data.shapeString(), bottom.get(1).shapeString());
    prob.reshapeLike(data);
    if (top.size() >= 2) {
      top.get(1).reshapeLike(data);
      if (!top.get(1).sharesDataWith(prob)) {
        top.get(1).shareData(prob);
      }
    }
  }

  @Override
  public void forward(List<Blob> bottom, List<Blob> top) {
    DataView p = prob.dataView();
    softmax.forward(bottom.get(0).dataView(), p, outerNum, channels, innerNum);
    DataView label = bottom.get(1).dataView();
    int dim = channels * innerNum;
    int count = 0;
    double loss = 0;
    for (int i = 0; i < outerNum; i++) {
      for (int j = 0; j < innerNum; j++) {
        int l = label(label.get(i * innerNum + j));
        if (hasIgnoreLabel && l == ignoreLabel) {
          continue;
        }
        checkLabel(l, channels, i * innerNum + j);
        loss -= Math.log(Math.max(p.get(i * dim + l * innerNum + j), FLT_MIN));
        count++;
      }
    }
    top.get(0).dataView().set(0, loss / normalizer(normalization, outerNum, innerNum, count));
  }

  @Override
  public void backward(List<Blob> top, boolean[] propagateDown, List<Blob> bottom) {
    checkNoLabelGradient(propagateDown, 1);
    if (!propagateDown[0]) {
      return;
    }
    bottom.get(0).diff().assign(prob.data());
    DataView diff = bottom.get(0).diffView();
    DataView label = bottom.get(1).dataView();
    int dim = channels * innerNum;
    int count = 0;
    for (int i = 0; i < outerNum; i++) {
      for (int j = 0; j < innerNum; j++) {
        int l = label(label.get(i * innerNum + j));
        if (hasIgnoreLabel && l == ignoreLabel) {
          for (int c = 0; c < channels; c++) {
            diff.set(i * dim + c * innerNum + j, 0);
          }
        } else {
          checkLabel(l, channels, i * innerNum + j);
          diff.add(i * dim + l * innerNum + j, -1);
          count++;
        }
      }
    }
    bottom.get(0).diff().muli(
        lossWeight(top) / normalizer(normalization, outerNum, innerNum, count));
  }
}
