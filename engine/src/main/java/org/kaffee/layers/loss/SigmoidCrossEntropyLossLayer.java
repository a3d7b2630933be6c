package org.kaffee.layers.loss;

import java.util.List;
import org.kaffee.core.Blob;
import org.kaffee.core.DataView;
import org.kaffee.core.LossNormalization;
import org.kaffee.proto.Caffe.LayerParameter;
import org.kaffee.proto.Caffe.LossParameter;
import org.kaffee.proto.Caffe.LossParameter.NormalizationMode;

/**
 * Caffe's SigmoidCrossEntropyLoss: the cross-entropy between targets t in [0, 1] and
 * sigmoid(x), summed in the numerically stable form {@code -[x (t - [x>=0]) - log(1 + exp(x -
 * 2x[x>=0]))]}, over the elements whose target is not {@code loss_param.ignore_label}, divided
 * as {@code loss_param.normalization} says (default BATCH_SIZE here, unlike SoftmaxWithLoss;
 * the legacy {@code normalize: true} means VALID). Gradient: {@code (sigmoid(x) - t) weight /
 * normalizer}, 0 for ignored targets.
 */
public final class SigmoidCrossEntropyLossLayer extends LossLayer {
  private Blob sigmoid;
  private boolean hasIgnoreLabel;
  private int ignoreLabel;
  private NormalizationMode normalization;
  private double normalizer = 1;
  private int outerNum;
  private int innerNum;

  public SigmoidCrossEntropyLossLayer(LayerParameter param) {
    super(param);
  }

  @Override
  public String type() {
    return "SigmoidCrossEntropyLoss";
  }

  @Override
  protected void layerSetUp(List<Blob> bottom, List<Blob> top) {
    LossParameter lp = param.getLossParam();
    hasIgnoreLabel = lp.hasIgnoreLabel();
    ignoreLabel = lp.getIgnoreLabel();
    normalization = LossNormalization.mode(lp, NormalizationMode.BATCH_SIZE);
    sigmoid = new Blob(bottom.get(0).dataType(), bottom.get(0).shape());
  }

  @Override
  public void reshape(List<Blob> bottom, List<Blob> top) {
    super.reshape(bottom, top);
    outerNum = bottom.get(0).shape(0);
    innerNum = bottom.get(0).count(1);
    check(bottom.get(0).count() == bottom.get(1).count(),
        "inputs must have the same count, got %s and %s", bottom.get(0).shapeString(),
        bottom.get(1).shapeString());
    sigmoid.reshapeLike(bottom.get(0));
  }

  @Override
  public void forward(List<Blob> bottom, List<Blob> top) {
    DataView x = bottom.get(0).dataView();
    DataView target = bottom.get(1).dataView();
    DataView s = sigmoid.dataView();
    int n = bottom.get(0).count();
    int valid = 0;
    double loss = 0;
    for (int i = 0; i < n; i++) {
      double v = x.get(i);
      s.set(i, 0.5 * Math.tanh(0.5 * v) + 0.5);
      double t = target.get(i);
      if (hasIgnoreLabel && label(t) == ignoreLabel) {
        continue;
      }
      double pos = v >= 0 ? 1 : 0;
      loss -= v * (t - pos) - Math.log(1 + Math.exp(v - 2 * v * pos));
      valid++;
    }
    normalizer = LossNormalization.normalizer(normalization, outerNum, innerNum, valid);
    top.get(0).dataView().set(0, loss / normalizer);
  }

  @Override
  public void backward(List<Blob> top, boolean[] propagateDown, List<Blob> bottom) {
    checkNoLabelGradient(propagateDown, 1);
    if (!propagateDown[0]) {
      return;
    }
    DataView s = sigmoid.dataView();
    DataView target = bottom.get(1).dataView();
    DataView diff = bottom.get(0).diffView();
    double scale = lossWeight(top) / normalizer;
    int n = bottom.get(0).count();
    for (int i = 0; i < n; i++) {
      double t = target.get(i);
      boolean ignored = hasIgnoreLabel && label(t) == ignoreLabel;
      diff.set(i, ignored ? 0 : (s.get(i) - t) * scale);
    }
  }
}
