package org.kaffee.layers.loss;

import java.util.List;
import org.kaffee.core.Blob;
import org.kaffee.core.DataView;
import org.kaffee.proto.Caffe.LayerParameter;

/**
 * Caffe's MultinomialLogisticLoss on probabilities (e.g. a Softmax's output): {@code
 * -1/N sum log(max(p[n, label_n], 1e-20))}. One label per sample.
 */
public final class MultinomialLogisticLossLayer extends PerSampleLabelLossLayer {

  public MultinomialLogisticLossLayer(LayerParameter param) {
    super(param);
  }

  @Override
  public String type() {
    return "MultinomialLogisticLoss";
  }

  @Override
  public void reshape(List<Blob> bottom, List<Blob> top) {
    super.reshape(bottom, top);
    check(bottom.get(1).count(1) == 1,
        "needs one label per sample: labels of shape (N) or (N, 1, 1, 1), got %s",
        bottom.get(1).shapeString());
  }

  @Override
  public void forward(List<Blob> bottom, List<Blob> top) {
    DataView p = bottom.get(0).dataView();
    DataView label = bottom.get(1).dataView();
    double loss = 0;
    for (int i = 0; i < num; i++) {
      int l = label(label.get(i));
      checkLabel(l, dim, i);
      loss -= Math.log(Math.max(p.get(i * dim + l), LOG_THRESHOLD));
    }
    top.get(0).dataView().set(0, loss / num);
  }

  @Override
  public void backward(List<Blob> top, boolean[] propagateDown, List<Blob> bottom) {
    checkNoLabelGradient(propagateDown, 1);
    if (!propagateDown[0]) {
      return;
    }
    DataView p = bottom.get(0).dataView();
    DataView label = bottom.get(1).dataView();
    bottom.get(0).diff().assign(0);
    DataView diff = bottom.get(0).diffView();
    double scale = -lossWeight(top) / num;
    for (int i = 0; i < num; i++) {
      int l = label(label.get(i));
      diff.set(i * dim + l, scale / Math.max(p.get(i * dim + l), LOG_THRESHOLD));
    }
  }
}
