package org.kaffee.layers.detection;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.kaffee.core.Blob;
import org.kaffee.core.BlobCounts;
import org.kaffee.core.DataView;
import org.kaffee.core.Layer;
import org.kaffee.proto.Caffe.DetectionEvaluateParameter;
import org.kaffee.proto.Caffe.LayerParameter;
import org.kaffee.proto.Caffe.ResizeParameter;

/**
 * SSD's DetectionEvaluate (weiliu89/caffe): compares a test batch's DetectionOutput rows
 * (1 x 1 x D x 7) with its ground truth (AnnotatedData's 1 x 1 x G x 8 rows) and writes the
 * rows the solver's detection test adds up into a mean average precision (1 x 1 x R x 5):
 * first one row per class but the background, {@code -1, label, positives, -1, -1}, the number
 * of ground-truth boxes counted (difficult ones only with evaluate_difficult_gt); then one row
 * per detection, {@code image, label, score, tp, fp}, each image's detections of a class taken by
 * descending score and matched to the free ground-truth box they overlap most, a true positive
 * when the overlap reaches overlap_threshold. A detection matched to a difficult box that is not
 * evaluated gets tp = fp = 0 and is skipped by the solver.
 *
 * <p>With name_size_file ({@code name height width} per test image, in test order) boxes are
 * compared in the original image's pixels, with SSD's +1 pixel sizes; as in the fork, the
 * file's line advances once per image that has detections.
 */
public final class DetectionEvaluateLayer extends Layer {
  private final int numClasses;
  private final int background;
  private final float overlapThreshold;
  private final boolean evaluateDifficult;
  /** Original image sizes ({@code height, width}) for pixel comparisons; empty for normalized ones. */
  private final List<int[]> sizes;
  private int nextSize;

  public DetectionEvaluateLayer(LayerParameter param) {
    super(param, BlobCounts.of(2, 1));
    DetectionEvaluateParameter p = param.getDetectionEvaluateParam();
    check(p.hasNumClasses(), "must specify num_classes");
    numClasses = p.getNumClasses();
    background = p.getBackgroundLabelId();
    overlapThreshold = p.getOverlapThreshold();
    check(overlapThreshold > 0, "overlap_threshold must be positive, got %s", overlapThreshold);
    evaluateDifficult = p.getEvaluateDifficultGt();
    check(!p.hasResizeParam() || p.getResizeParam().getResizeMode() == ResizeParameter.Resize_mode.WARP,
        "resize_param with resize_mode %s is not supported (WARP is)", p.getResizeParam().getResizeMode());
    sizes = p.hasNameSizeFile() ? readSizes(p.getNameSizeFile()) : List.of();
  }

  private List<int[]> readSizes(String file) {
    List<int[]> out = new ArrayList<>();
    try {
      List<String> lines = Files.readAllLines(Path.of(file));
      for (int i = 0; i < lines.size(); i++) {
        String[] f = lines.get(i).trim().split("\\s+");
        if (f.length == 1 && f[0].isEmpty()) {
          continue;
        }
        check(f.length == 3, "%s:%d: expected 'name height width', got '%s'", file, i + 1, lines.get(i));
        try {
          out.add(new int[] {Integer.parseInt(f[1]), Integer.parseInt(f[2])});
        } catch (NumberFormatException e) {
          check(false, "%s:%d: height and width must be integers, got '%s'", file, i + 1, lines.get(i));
        }
      }
    } catch (IOException e) {
      check(false, "cannot read name_size_file %s: %s", file, e.getMessage());
    }
    return out;
  }

  @Override
  public String type() {
    return "DetectionEvaluate";
  }

  @Override
  public void reshape(List<Blob> bottom, List<Blob> top) {
    Blob det = bottom.get(0);
    Blob gt = bottom.get(1);
    check(det.numAxes() == 4 && det.shape(0) == 1 && det.shape(1) == 1 && det.shape(3) == 7,
        "the detections must be 1 x 1 x D x 7, got %s", det.shapeString());
    check(gt.numAxes() == 4 && gt.shape(0) == 1 && gt.shape(1) == 1 && gt.shape(3) == 8,
        "the ground truth must be 1 x 1 x G x 8, got %s", gt.shapeString());
    int valid = 0;
    DataView d = det.dataView();
    for (int i = 0; i < det.shape(2); i++) {
      valid += d.get(i * 7 + 1) != -1 ? 1 : 0;
    }
    top.get(0).reshape(1, 1, positiveClasses() + valid, 5);
  }

  private int positiveClasses() {
    return background == -1 ? numClasses : numClasses - 1;
  }

  @Override
  public void forward(List<Blob> bottom, List<Blob> top) {
    Map<Integer, Map<Integer, List<ScoredBox>>> detections = DetectionRows.detections(bottom.get(0), background);
    Map<Integer, Map<Integer, List<ScoredBox>>> truth = DetectionRows.groundTruth(bottom.get(1), background);
    List<float[]> rows = new ArrayList<>();
    Map<Integer, Integer> positives = countPositives(truth);
    for (int c = 0; c < numClasses; c++) {
      if (c != background) {
        rows.add(new float[] {-1, c, positives.getOrDefault(c, 0), -1, -1});
      }
    }
    detections.forEach((image, byLabel) -> {
      Map<Integer, List<ScoredBox>> imageTruth = truth.getOrDefault(image, Map.of());
      int[] size = sizes.isEmpty() ? null : nextImageSize();
      byLabel.forEach((label, boxes) -> {
        if (label != -1) { // DetectionOutput's row for an image with no detection
          rows.addAll(match(image, label, boxes, imageTruth.get(label), size));
        }
      });
    });
    DataView out = top.get(0).dataView();
    for (int r = 0; r < rows.size(); r++) {
      for (int j = 0; j < 5; j++) {
        out.set(r * 5 + j, rows.get(r)[j]);
      }
    }
  }

  private int[] nextImageSize() {
    check(nextSize < sizes.size(), "more test images than the %d lines of name_size_file", sizes.size());
    int[] size = sizes.get(nextSize);
    nextSize = (nextSize + 1) % sizes.size();
    return size;
  }

  private Map<Integer, Integer> countPositives(Map<Integer, Map<Integer, List<ScoredBox>>> truth) {
    Map<Integer, Integer> count = new TreeMap<>();
    for (Map<Integer, List<ScoredBox>> byLabel : truth.values()) {
      byLabel.forEach((label, boxes) -> count.merge(label,
          (int) boxes.stream().filter(b -> evaluateDifficult || !b.difficult()).count(), Integer::sum));
    }
    return count;
  }

  /** The rows of one image's detections of one class, best score first. */
  private List<float[]> match(int image, int label, List<ScoredBox> found, List<ScoredBox> truth, int[] size) {
    List<ScoredBox> ranked = new ArrayList<>(found);
    ranked.sort(Comparator.comparingDouble((ScoredBox b) -> b.score()).reversed());
    List<float[]> rows = new ArrayList<>();
    if (truth == null) {
      for (ScoredBox b : ranked) {
        rows.add(new float[] {image, label, b.score(), 0, 1});
      }
      return rows;
    }
    List<ScoredBox> gt = size == null ? truth : truth.stream().map(b -> b.inPixels(size)).toList();
    boolean[] taken = new boolean[gt.size()];
    for (ScoredBox b : ranked) {
      ScoredBox box = size == null ? b : b.inPixels(size);
      float best = -1;
      int at = -1;
      for (int j = 0; j < gt.size(); j++) {
        float overlap = box.jaccard(gt.get(j), size == null);
        if (overlap > best) {
          best = overlap;
          at = j;
        }
      }
      float tp = 0;
      float fp = 1;
      if (best >= overlapThreshold) {
        if (evaluateDifficult || !gt.get(at).difficult()) {
          tp = taken[at] ? 0 : 1;
          fp = 1 - tp;
          taken[at] = true;
        } else {
          fp = 0;
        }
      }
      rows.add(new float[] {image, label, b.score(), tp, fp});
    }
    return rows;
  }

  @Override
  public void backward(List<Blob> top, boolean[] propagateDown, List<Blob> bottom) {
    for (boolean wanted : propagateDown) {
      check(!wanted, "has no backward pass: it counts matches");
    }
  }
}
