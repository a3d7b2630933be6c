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
public final class InfogainLossLayer extends LossLayer {
  private Blob prob;
  private final Softmax softmax = new Softmax();
  private Blob infogain;
  private double[] sumRows = new double[0];
  private boolean hasIgnoreLabel;
  private int ignoreLabel;
  private NormalizationMode normalization;
  private int outerNum;
  private int innerNum;
  private int numLabels;

  public InfogainLossLayer(LayerParameter param) {
    super(param);
  }

  @Override
  public String type() {
    return "InfogainLoss";
  }

  @Override
  public int exactNumBottomBlobs() {
    return -1;
  }

  @Override
  public int minBottomBlobs() {
    return 2;
  }

  @Override
  public int maxBottomBlobs() {
    return 3;
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
  public boolean allowForceBackward(int bottomIndex) {
    return bottomIndex == 0;
  }

  @Override
  protected void layerSetUp(List<Blob> bottom, List<Blob> top) {
    LossParameter lp = param.getLossParam();
    hasIgnoreLabel = lp.hasIgnoreLabel();
    ignoreLabel = lp.getIgnoreLabel();
    check(!lp.hasNormalize(), "normalize is deprecated. use \"normalization\"");
    normalization = lp.getNormalization();
    prob = new Blob(bottom.get(0).dataType(), bottom.get(0).shape());
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
    Blob data = bottom.get(0);
    int axis = data.canonicalAxisIndex(param.getInfogainLossParam().getAxis());
    outerNum = data.count(0, axis);
    innerNum = data.count(axis + 1);
    numLabels = data.shape(axis);
    check(outerNum * innerNum == bottom.get(1).count(),
        "number of labels must match number of predictions; e.g., if infogain axis == 1 and "
            + "prediction shape is (N, C, H, W), label count (number of labels) must be N*H*W, "
            + "with integer values in {0, 1, ..., C-1}; got predictions %s and labels %s",
        data.shapeString(), bottom.get(1).shapeString());
    Blob h = matrix(bottom);
    check(h.count() == numLabels * numLabels, "H must be %dx%d (%d values), got %s",
        numLabels, numLabels, numLabels * numLabels, h.shapeString());
    if (sumRows.length != numLabels) {
      sumRows = new double[numLabels];
    }
    if (bottom.size() == 2) {
      sumRowsOf(h);
    }
    prob.reshapeLike(data);
    if (top.size() >= 2) {
      top.get(1).reshapeLike(data);
      if (!top.get(1).sharesDataWith(prob)) {
        top.get(1).shareData(prob);
      }
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
        int l = label(label.get(i * innerNum + j));
        if (hasIgnoreLabel && l == ignoreLabel) {
          continue;
        }
        checkLabel(l, numLabels, i * innerNum + j);
        for (int k = 0; k < numLabels; k++) {
          loss -= h.get(l * numLabels + k)
              * Math.log(Math.max(p.get(i * dim + k * innerNum + j), LOG_THRESHOLD));
        }
        count++;
      }
    }
    top.get(0).dataView().set(0, loss / normalizer(normalization, outerNum, innerNum, count));
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
        int l = label(label.get(i * innerNum + j));
        if (hasIgnoreLabel && l == ignoreLabel) {
          for (int k = 0; k < numLabels; k++) {
            diff.set(i * dim + k * innerNum + j, 0);
          }
        } else {
          checkLabel(l, numLabels, i * innerNum + j);
          for (int k = 0; k < numLabels; k++) {
            int idx = i * dim + k * innerNum + j;
            diff.set(idx, p.get(idx) * sumRows[l] - h.get(l * numLabels + k));
          }
          count++;
        }
      }
    }
    double scale = lossWeight(top) / normalizer(normalization, outerNum, innerNum, count);
    int n = bottom.get(0).count();
    for (int i = 0; i < n; i++) {
      diff.set(i, diff.get(i) * scale);
    }
  }
}
