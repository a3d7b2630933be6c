package org.kaffee.inference;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.kaffee.api.Detection;
import org.kaffee.core.KaffeeException;
import org.kaffee.layers.detection.AveragePrecision;
import org.kaffee.layers.detection.AveragePrecision.Hit;
import org.kaffee.layers.detection.AveragePrecision.Version;
import org.kaffee.layers.detection.Box;
import org.kaffee.proto.Caffe.DetectionOutputParameter;
import org.kaffee.proto.Caffe.LayerParameter;
import org.kaffee.proto.Caffe.NetParameter;

/**
 * VOC mean average precision accumulated image by image, with SSD's DetectionEvaluate rules:
 * in each image, a class's detections are taken best first and each is matched to the
 * ground-truth box of its class it overlaps most; it is a true positive when that overlap
 * reaches the threshold and the box is not yet matched, a false positive when it is (a
 * duplicate) or when the overlap falls short. A detection whose best box is difficult counts as
 * neither, and difficult boxes are not among the positives. Over all images, each class's
 * detections are ranked by score (ties in the order added) for {@link AveragePrecision}; the
 * mean runs over every class but the background, as SSD's solver averages (a class without
 * ground truth or detections adds 0).
 */
public final class DetectionEvaluation {
  /** One detection of an image: class, score and box (corners as fractions of the image). */
  public record Scored(int label, double score, Box box) {
    /** A detector's answer, its box in pixels of an image of this size. */
    public static Scored of(Detection d, int width, int height) {
      return new Scored(d.label(), d.score(), new Box((double) d.xmin() / width, (double) d.ymin() / height,
          (double) d.xmax() / width, (double) d.ymax() / height));
    }
  }

  private final int classes;
  private final int background;
  private final double overlapThreshold;
  private final int[] positives;
  private final List<List<Hit>> outcomes = new ArrayList<>();
  private int images;

  public DetectionEvaluation(int classes, int background, double overlapThreshold) {
    KaffeeException.check(overlapThreshold > 0 && overlapThreshold <= 1,
        "--overlap_threshold must be in (0, 1], got %s", overlapThreshold);
    this.classes = classes;
    this.background = background;
    this.overlapThreshold = overlapThreshold;
    this.positives = new int[classes];
    for (int c = 0; c < classes; c++) {
      outcomes.add(new ArrayList<>());
    }
  }

  /** An evaluation of the classes of the net's DetectionOutput layer. */
  public static DetectionEvaluation of(NetParameter net, double overlapThreshold) {
    for (LayerParameter layer : net.getLayerList()) {
      if (layer.getType().equals("DetectionOutput")) {
        DetectionOutputParameter p = layer.getDetectionOutputParam();
        return new DetectionEvaluation(p.getNumClasses(), p.getBackgroundLabelId(), overlapThreshold);
      }
    }
    throw new KaffeeException("net " + net.getName() + " has no DetectionOutput layer to evaluate");
  }

  /** Adds one image: its ground truth and the net's detections in it. */
  public void add(String name, List<GroundTruth> truth, List<Scored> detections) {
    for (GroundTruth t : truth) {
      KaffeeException.check(t.label() >= 0 && t.label() < classes && t.label() != background,
          "%s: a ground-truth box has label %d, not one of the net's %d classes but the background %d", name,
          t.label(), classes, background);
      positives[t.label()] += t.difficult() ? 0 : 1;
    }
    for (int c = 0; c < classes; c++) {
      int label = c;
      List<GroundTruth> boxes = truth.stream().filter(t -> t.label() == label).toList();
      List<Scored> found = new ArrayList<>(detections.stream().filter(d -> d.label() == label).toList());
      found.sort(Comparator.comparingDouble((Scored d) -> -d.score()));
      boolean[] matched = new boolean[boxes.size()];
      for (Scored d : found) {
        int best = -1;
        double overlap = -1;
        for (int j = 0; j < boxes.size(); j++) {
          double o = d.box().jaccard(boxes.get(j).box());
          if (o > overlap) {
            overlap = o;
            best = j;
          }
        }
        if (best < 0 || overlap < overlapThreshold) {
          outcomes.get(c).add(new Hit((float) d.score(), false));
        } else if (!boxes.get(best).difficult()) {
          outcomes.get(c).add(new Hit((float) d.score(), !matched[best]));
          matched[best] = true;
        }
      }
    }
    images++;
  }

  public int images() {
    return images;
  }

  public int classes() {
    return classes;
  }

  public double overlapThreshold() {
    return overlapThreshold;
  }

  public int background() {
    return background;
  }

  /** The ground-truth boxes of class {@code c} that count (not difficult). */
  public int positives(int c) {
    return positives[c];
  }

  /** The detections of class {@code c} that were scored (those matched to a difficult box are not). */
  public int detections(int c) {
    return outcomes.get(c).size();
  }

  public double averagePrecision(int c, Version version) {
    return AveragePrecision.of(outcomes.get(c), positives[c], version);
  }

  /** The mean over every class but the background. */
  public double meanAveragePrecision(Version version) {
    double sum = 0;
    int counted = 0;
    for (int c = 0; c < classes; c++) {
      if (c != background) {
        sum += averagePrecision(c, version);
        counted++;
      }
    }
    return counted == 0 ? 0 : sum / counted;
  }
}
