package org.kaffee.layers.detection;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.kaffee.core.Blob;
import org.kaffee.core.BlobCounts;
import org.kaffee.core.DataView;
import org.kaffee.core.Layer;
import org.kaffee.proto.Caffe.DetectionOutputParameter;
import org.kaffee.proto.Caffe.LayerParameter;
import org.kaffee.proto.Caffe.NonMaximumSuppressionParameter;
import org.kaffee.proto.Caffe.PriorBoxParameter.CodeType;

/**
 * SSD's DetectionOutput (weiliu89/caffe): bottoms are the location offsets (N x priors x
 * locClasses x 4, flat), the class confidences (N x priors x classes, after softmax) and the
 * priors of PriorBox. Per image and class but the background, the decoded boxes (one set shared
 * by all classes with share_location, else one per class) go through {@link Nms}; when more than
 * keep_top_k survive in an image, the best keep_top_k over all classes stay. The top is
 * 1 x 1 x kept x 7 rows {@code image, label, score, xmin, ymin, xmax, ymax}, by image, label
 * ascending, then score descending; with no detection at all, one row per image of -1s but
 * the image index. No backward.
 */
public final class DetectionOutputLayer extends Layer {
  private final int numClasses;
  private final boolean shareLocation;
  private final int background;
  private final CodeType codeType;
  private final boolean varianceInTarget;
  private final int keepTopK;
  private final double confidenceThreshold;
  private final double nmsThreshold;
  private final double eta;
  private final int topK;
  private int numPriors;
  /** The rows of the last forward pass: {@code image, label, score, xmin, ymin, xmax, ymax}. */
  private final List<double[]> rows = new ArrayList<>();

  public DetectionOutputLayer(LayerParameter param) {
    super(param, BlobCounts.of(3, 1));
    DetectionOutputParameter p = param.getDetectionOutputParam();
    check(p.hasNumClasses(), "must specify num_classes");
    numClasses = p.getNumClasses();
    shareLocation = p.getShareLocation();
    background = p.getBackgroundLabelId();
    codeType = p.getCodeType();
    varianceInTarget = p.getVarianceEncodedInTarget();
    keepTopK = p.getKeepTopK();
    confidenceThreshold = p.hasConfidenceThreshold() ? p.getConfidenceThreshold() : -Double.MAX_VALUE;
    NonMaximumSuppressionParameter nms = p.getNmsParam();
    nmsThreshold = nms.getNmsThreshold();
    check(nmsThreshold >= 0, "nms_threshold must be non negative, got %s", nmsThreshold);
    eta = nms.getEta();
    check(eta > 0 && eta <= 1, "eta must be in (0, 1], got %s", eta);
    topK = nms.hasTopK() ? nms.getTopK() : -1;
  }

  @Override
  public String type() {
    return "DetectionOutput";
  }

  private int locClasses() {
    return shareLocation ? 1 : numClasses;
  }

  @Override
  public void reshape(List<Blob> bottom, List<Blob> top) {
    Blob loc = bottom.get(0);
    Blob conf = bottom.get(1);
    Blob priors = bottom.get(2);
    check(priors.numAxes() >= 3 && priors.shape(1) == 2 && priors.count(2) % 4 == 0,
        "the priors must be 1 x 2 x (boxes * 4), got %s", priors.shapeString());
    numPriors = priors.count(2) / 4;
    check(loc.count(1) == numPriors * locClasses() * 4, "the locations %s do not hold %d priors x %d x 4",
        loc.shapeString(), numPriors, locClasses());
    check(conf.count(1) == numPriors * numClasses, "the confidences %s do not hold %d priors x %d classes",
        conf.shapeString(), numPriors, numClasses);
    check(loc.shape(0) == conf.shape(0), "locations %s and confidences %s differ in batch size",
        loc.shapeString(), conf.shapeString());
    // the number of detections is known after forward, which reshapes the top again (as SSD)
    top.get(0).reshape(1, 1, 1, 7);
  }

  @Override
  public void forward(List<Blob> bottom, List<Blob> top) {
    int num = bottom.get(0).shape(0);
    double[] loc = bottom.get(0).dataView().toArray();
    double[] conf = bottom.get(1).dataView().toArray();
    double[] prior = bottom.get(2).dataView().toArray();
    List<Box> priors = new ArrayList<>();
    for (int p = 0; p < numPriors; p++) {
      priors.add(new Box(prior[p * 4], prior[p * 4 + 1], prior[p * 4 + 2], prior[p * 4 + 3]));
    }
    rows.clear();
    for (int n = 0; n < num; n++) {
      detect(n, loc, conf, prior, priors);
    }
    writeRows(num, top.get(0));
  }

  private void detect(int n, double[] loc, double[] conf, double[] prior, List<Box> priors) {
    Map<Integer, List<Box>> decoded = new TreeMap<>();
    for (int c = 0; c < locClasses(); c++) {
      int label = shareLocation ? -1 : c;
      if (label == background) {
        continue;
      }
      List<Box> boxes = new ArrayList<>();
      for (int p = 0; p < numPriors; p++) {
        int at = ((n * numPriors + p) * locClasses() + c) * 4;
        boxes.add(BoxCoding.decode(codeType, varianceInTarget, priors.get(p), prior, numPriors * 4 + p * 4,
            loc, at));
      }
      decoded.put(label, boxes);
    }
    List<double[]> found = new ArrayList<>();
    for (int c = 0; c < numClasses; c++) {
      if (c == background) {
        continue;
      }
      double[] scores = new double[numPriors];
      for (int p = 0; p < numPriors; p++) {
        scores[p] = conf[(n * numPriors + p) * numClasses + c];
      }
      List<Box> boxes = decoded.get(shareLocation ? -1 : c);
      for (int i : Nms.apply(boxes, scores, confidenceThreshold, nmsThreshold, eta, topK)) {
        Box b = boxes.get(i);
        found.add(new double[] {n, c, scores[i], b.xmin(), b.ymin(), b.xmax(), b.ymax()});
      }
    }
    if (keepTopK > -1 && found.size() > keepTopK) {
      List<double[]> best = new ArrayList<>(found);
      best.sort(Comparator.comparingDouble((double[] r) -> r[2]).reversed());
      List<double[]> kept = best.subList(0, keepTopK);
      // back into label order, each label's rows by descending score as NMS left them
      found.removeIf(r -> !kept.contains(r));
    }
    rows.addAll(found);
  }

  private void writeRows(int num, Blob top) {
    if (rows.isEmpty()) {
      top.reshape(1, 1, num, 7);
      top.data().assign(-1);
      DataView out = top.dataView();
      for (int n = 0; n < num; n++) {
        out.set(n * 7, n);
      }
      return;
    }
    top.reshape(1, 1, rows.size(), 7);
    DataView out = top.dataView();
    for (int r = 0; r < rows.size(); r++) {
      for (int j = 0; j < 7; j++) {
        out.set(r * 7 + j, rows.get(r)[j]);
      }
    }
  }

  @Override
  public void backward(List<Blob> top, boolean[] propagateDown, List<Blob> bottom) {
    for (boolean wanted : propagateDown) {
      check(!wanted, "has no backward pass: it selects boxes");
    }
  }
}
