package org.kaffee.layers.loss;

import java.util.List;
import org.kaffee.core.Blob;
import org.kaffee.core.DataView;
import org.kaffee.proto.Caffe.HingeLossParameter.Norm;
import org.kaffee.proto.Caffe.LayerParameter;

/**
 * Caffe's HingeLoss (one-vs-all): with {@code t_nk = max(0, 1 - δ(k = l_n) x_nk)} where δ is
 * +1 for the true class and -1 otherwise, the loss is {@code sum t / N} (L1, default) or
 * {@code sum t^2 / N} (L2).
 */
public final class HingeLossLayer extends PerSampleLabelLossLayer {
  private Norm norm;
  /** The margins t (Caffe keeps them in the bottom's diff between forward and backward). */
  private double[] margins = new double[0];

  public HingeLossLayer(LayerParameter param) {
    super(param);
  }

  @Override
  public String type() {
    return "HingeLoss";
  }

  @Override
  protected void layerSetUp(List<Blob> bottom, List<Blob> top) {
    norm = param.getHingeLossParam().getNorm();
  }

  @Override
  public void reshape(List<Blob> bottom, List<Blob> top) {
    super.reshape(bottom, top);
    check(bottom.get(1).count() == num, "needs one label per sample (%d), got labels %s", num,
        bottom.get(1).shapeString());
    if (margins.length < bottom.get(0).count()) {
      margins = new double[bottom.get(0).count()];
    }
  }

  @Override
  public void forward(List<Blob> bottom, List<Blob> top) {
    DataView x = bottom.get(0).dataView();
    DataView label = bottom.get(1).dataView();
    double loss = 0;
    for (int i = 0; i < num; i++) {
      int l = label(label.get(i));
      checkLabel(l, dim, i);
      for (int j = 0; j < dim; j++) {
        int idx = i * dim + j;
        double v = j == l ? -x.get(idx) : x.get(idx);
        double t = Math.max(0, 1 + v);
        margins[idx] = t;
        loss += norm == Norm.L2 ? t * t : t;
      }
    }
    top.get(0).dataView().set(0, loss / num);
  }

  @Override
  public void backward(List<Blob> top, boolean[] propagateDown, List<Blob> bottom) {
    checkNoLabelGradient(propagateDown, 1);
    if (!propagateDown[0]) {
      return;
    }
    DataView diff = bottom.get(0).diffView();
    DataView label = bottom.get(1).dataView();
    double weight = lossWeight(top);
    for (int i = 0; i < num; i++) {
      int l = label(label.get(i));
      for (int j = 0; j < dim; j++) {
        int idx = i * dim + j;
        double t = j == l ? -margins[idx] : margins[idx];
        double g = norm == Norm.L2 ? t * weight * 2 / num : Math.signum(t) * (weight / num);
        diff.set(idx, g);
      }
    }
  }
}
