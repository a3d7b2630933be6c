package org.kaffee.layers.loss;

import java.nio.file.Path;
import java.util.List;
import org.kaffee.core.Blob;
import org.kaffee.core.DataView;
import org.kaffee.io.ProtoFiles;
import org.kaffee.io.WorkDir;
import org.kaffee.proto.Caffe.BlobProto;
import org.kaffee.proto.Caffe.InfogainLossParameter;
import org.kaffee.proto.Caffe.LayerParameter;
import org.kaffee.proto.Caffe.LossParameter;
import org.kaffee.proto.Caffe.LossParameter.NormalizationMode;

/**
 * Caffe's InfogainLoss: the softmax of the predictions over {@code infogain_loss_param.axis},
 * then {@code -sum_l H[label, l] log(max(p_l, 1e-20))}, normalized as {@code
 * loss_param.normalization} says (default VALID; the legacy {@code normalize} is rejected as
 * in Caffe). H (K x K) is read from {@code infogain_loss_param.source} (a binary BlobProto)
 * or given as a third bottom. An optional second top receives the probabilities.
 */
public final class InfogainLossLayer extends SoftmaxLabelLossLayer {
  /** H read from {@code infogain_loss_param.source}; null when H is the third bottom. */
  private Blob infogain;
  /** Row sums of H, the factor on p in the gradient. */
  private double[] sumRows = new double[0];

  public InfogainLossLayer(LayerParameter param) {
    super(param, 3);
  }

  @Override
  public String type() {
    return "InfogainLoss";
  }

  @Override
  public boolean allowForceBackward(int bottomIndex) {
    return bottomIndex == 0;
  }

  @Override
  protected int softmaxAxisParam() {
    return param.getInfogainLossParam().getAxis();
  }

  @Override
  protected String axisName() {
    return "infogain";
  }

  /** Caffe's InfogainLoss rejects the legacy normalize field instead of translating it. */
  @Override
  protected NormalizationMode readNormalization(LossParameter lp) {
    check(!lp.hasNormalize(), "normalize is deprecated. use \"normalization\"");
    return lp.getNormalization();
  }

  @Override
  protected void layerSetUp(List<Blob> bottom, List<Blob> top) {
    super.layerSetUp(bottom, top);
    if (bottom.size() < 3) {
      InfogainLossParameter ip = param.getInfogainLossParam();
      check(ip.hasSource(), "Infogain matrix source must be specified "
          + "(infogain_loss_param { source: ... } or a third bottom)");
      Path path = WorkDir.resolve(ip.getSource());
      BlobProto proto = ProtoFiles.readBinary(path, BlobProto.newBuilder(), "BlobProto").build();
      infogain = new Blob(bottom.get(0).dataType(), Blob.protoShape(proto));
      infogain.fromProto(proto, true);
    }
  }

  @Override
  public void reshape(List<Blob> bottom, List<Blob> top) {
    super.reshape(bottom, top);
    Blob h = matrix(bottom);
    check(h.count() == numLabels * numLabels, "H must be %dx%d (%d values), got %s",
        numLabels, numLabels, numLabels * numLabels, h.shapeString());
    if (sumRows.length != numLabels) {
      sumRows = new double[numLabels];
    }
    if (bottom.size() == 2) {
      sumRowsOf(h);
    }
  }

  private Blob matrix(List<Blob> bottom) {
    return bottom.size() < 3 ? infogain : bottom.get(2);
  }

  private void sumRowsOf(Blob h) {
    DataView m = h.dataView();
    for (int row = 0; row < numLabels; row++) {
      double s = 0;
      for (int col = 0; col < numLabels; col++) {
        s += m.get(row * numLabels + col);
      }
      sumRows[row] = s;
    }
  }

  @Override
  public void forward(List<Blob> bottom, List<Blob> top) {
    DataView p = prob.dataView();
    softmax.forward(bottom.get(0).dataView(), p, outerNum, numLabels, innerNum);
    DataView label = bottom.get(1).dataView();
    DataView h = matrix(bottom).dataView();
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
        for (int k = 0; k < numLabels; k++) {
          loss -= h.get(l * numLabels + k)
              * Math.log(Math.max(p.get(i * dim + k * innerNum + j), LOG_THRESHOLD));
        }
        count++;
      }
    }
    setNormalizedLoss(top, loss, count);
  }

  @Override
  public void backward(List<Blob> top, boolean[] propagateDown, List<Blob> bottom) {
    checkNoLabelGradient(propagateDown, 1);
    check(propagateDown.length <= 2 || !propagateDown[2],
        "%s Layer cannot backpropagate to infogain inputs", type());
    if (!propagateDown[0]) {
      return;
    }
    if (bottom.size() >= 3) {
      sumRowsOf(bottom.get(2)); // H is a bottom and may change: sum its rows every time
    }
    DataView p = prob.dataView();
    DataView label = bottom.get(1).dataView();
    DataView h = matrix(bottom).dataView();
    DataView diff = bottom.get(0).diffView();
    int dim = numLabels * innerNum;
    int count = 0;
    for (int i = 0; i < outerNum; i++) {
      for (int j = 0; j < innerNum; j++) {
        int l = labelAt(label, i, j);
        if (isIgnored(l)) {
          clearGradientAt(diff, i, j);
        } else {
          checkLabelAt(l, i, j);
          for (int k = 0; k < numLabels; k++) {
            int idx = i * dim + k * innerNum + j;
            diff.set(idx, p.get(idx) * sumRows[l] - h.get(l * numLabels + k));
          }
          count++;
        }
      }
    }
    double scale = gradientScale(top, count);
    int n = bottom.get(0).count();
    for (int i = 0; i < n; i++) {
      diff.set(i, diff.get(i) * scale);
    }
  }
}
