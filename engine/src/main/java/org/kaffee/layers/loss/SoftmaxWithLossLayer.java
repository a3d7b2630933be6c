package org.kaffee.layers.loss;

import java.util.List;
import org.kaffee.core.Blob;
import org.kaffee.core.DataView;
import org.kaffee.core.LossNormalization;
import org.kaffee.proto.Caffe.LayerParameter;
import org.kaffee.proto.Caffe.LossParameter;
import org.kaffee.proto.Caffe.LossParameter.NormalizationMode;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Caffe's SoftmaxWithLoss: the softmax of the predictions over {@code softmax_param.axis}
 * (default 1), then the mean negative log-probability of the true labels. Labels equal to
 * {@code loss_param.ignore_label} add nothing and get no gradient; the sum is divided as
 * {@code loss_param.normalization} says (default VALID: the number of non-ignored labels;
 * the legacy {@code normalize: false} means BATCH_SIZE). An optional second top receives the
 * probabilities. Gradient: {@code (prob - onehot(label)) * weight / normalizer}.
 */
public final class SoftmaxWithLossLayer extends SoftmaxLabelLossLayer {
  public SoftmaxWithLossLayer(LayerParameter param) {
    super(param);
  }

  @Override
  public String type() {
    return "SoftmaxWithLoss";
  }

  @Override
  protected int softmaxAxisParam() {
    return param.getSoftmaxParam().getAxis();
  }

  @Override
  protected String axisName() {
    return "softmax";
  }

  @Override
  protected NormalizationMode readNormalization(LossParameter lp) {
    return LossNormalization.mode(lp, lp.getNormalization());
  }

  @Override
  public void forward(List<Blob> bottom, List<Blob> top) {
    DataView p = prob.dataView();
    softmax.forward(bottom.get(0).dataView(), p, outerNum, numLabels, innerNum);
    DataView label = bottom.get(1).dataView();
    int dim = numLabels * innerNum;
    int count = 0;
    double loss = 0;
    for (int i = 0; i < outerNum; i++) {
      for (int j = 0; j < innerNum; j++) {
        int l = labelAt(label, i, j);
        if (isIgnored(l)) {
          continue;
        }
        checkLabelAt(l, i, j);
        loss -= Math.log(Math.max(p.get(i * dim + l * innerNum + j), FLT_MIN));
        count++;
      }
    }
    setNormalizedLoss(top, loss, count);
  }

  @Override
  public void backward(List<Blob> top, boolean[] propagateDown, List<Blob> bottom) {
    checkNoLabelGradient(propagateDown, 1);
    if (!propagateDown[0]) {
      return;
    }
    // loops over the few values here: ND4J's assign and muli ops cost more to set up than this takes
    DataView p = prob.dataView();
    DataView diff = bottom.get(0).diffView();
    DataView label = bottom.get(1).dataView();
    int dim = numLabels * innerNum;
    int count = 0;
    for (int i = 0; i < outerNum * dim; i++) {
      diff.set(i, p.get(i));
    }
    for (int i = 0; i < outerNum; i++) {
      for (int j = 0; j < innerNum; j++) {
        int l = labelAt(label, i, j);
        if (isIgnored(l)) {
          clearGradientAt(diff, i, j);
        } else {
          checkLabelAt(l, i, j);
          diff.add(i * dim + l * innerNum + j, -1);
          count++;
        }
      }
    }
    double scale = gradientScale(top, count);
    // Caffe scales by a Dtype: in float32 the factor is rounded first, then the product once
    double factor = bottom.get(0).dataType() == DataType.FLOAT ? (float) scale : scale;
    for (int i = 0; i < outerNum * dim; i++) {
      diff.set(i, diff.get(i) * factor);
    }
  }
}
