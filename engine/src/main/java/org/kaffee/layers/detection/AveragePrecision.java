package org.kaffee.layers.detection;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.kaffee.core.KaffeeException;

/**
 * SSD's ComputeAP (weiliu89/caffe bbox_util): one class's average precision from its detections,
 * each a score and whether it was a true positive, and the number of ground-truth boxes. The
 * detections are ranked by descending score (ties keep their order, as the fork's stable sort);
 * precision and recall are float, as the fork computes them, so the figures agree to the last
 * bit it prints.
 */
public final class AveragePrecision {
  private static final float EPS = 1e-6f;

  /** The three ways SSD integrates the precision/recall curve, by their solver names. */
  public enum Version {
    /** VOC2007: the mean of the best precision at recall 0, 0.1, ..., 1. */
    ELEVEN_POINT("11point"),
    /** VOC2012 and ILSVRC: the area under the curve made monotone from the right. */
    MAX_INTEGRAL("MaxIntegral"),
    /** The natural integral: each recall step times the precision where it was reached. */
    INTEGRAL("Integral");

    private final String name;

    Version(String name) {
      this.name = name;
    }

    public static Version named(String name) {
      for (Version v : values()) {
        if (v.name.equals(name)) {
          return v;
        }
      }
      throw new KaffeeException("unknown ap_version \"" + name + "\": expected 11point, MaxIntegral or Integral");
    }

    @Override
    public String toString() {
      return name;
    }
  }

  /** One ranked detection: its score and whether it matched a ground-truth box. */
  public record Hit(float score, boolean truePositive) {
  }

  private AveragePrecision() {
  }

  /** The average precision; 0 when there are no detections or no ground-truth boxes. */
  public static float of(List<Hit> hits, int positives, Version version) {
    if (hits.isEmpty() || positives == 0) {
      return 0;
    }
    List<Hit> ranked = new ArrayList<>(hits);
    ranked.sort(Comparator.comparingDouble((Hit h) -> h.score()).reversed());
    int n = ranked.size();
    float[] precision = new float[n];
    float[] recall = new float[n];
    int tp = 0;
    for (int i = 0; i < n; i++) {
      tp += ranked.get(i).truePositive() ? 1 : 0;
      if (tp > positives) {
        throw new KaffeeException("more true positives (" + tp + ") than ground-truth boxes (" + positives + ")");
      }
      precision[i] = (float) tp / (i + 1);
      recall[i] = (float) tp / positives;
    }
    return switch (version) {
      case ELEVEN_POINT -> elevenPoint(precision, recall);
      case MAX_INTEGRAL -> maxIntegral(precision, recall);
      case INTEGRAL -> integral(precision, recall);
    };
  }

  /**
   * The fork's VOC2007 walk: from recall threshold 1.0 down, the best precision at or above
   * the threshold; a threshold no detection reaches inherits the next one's maximum (the fork
   * passes it down as it meets a lower recall), so the figure is the fork's, which can differ
   * from the VOC devkit's in the last digits.
   */
  private static float elevenPoint(float[] precision, float[] recall) {
    float[] best = new float[11];
    int start = precision.length - 1;
    for (int j = 10; j >= 0; j--) {
      for (int i = start; i >= 0; i--) {
        if (recall[i] < j / 10.0) {
          start = i;
          if (j > 0) {
            best[j - 1] = best[j];
          }
          break;
        }
        best[j] = Math.max(best[j], precision[i]);
      }
    }
    float ap = 0;
    for (int j = 10; j >= 0; j--) {
      ap += best[j] / 11;
    }
    return ap;
  }

  private static float maxIntegral(float[] precision, float[] recall) {
    int n = precision.length;
    float ap = 0;
    float curRecall = recall[n - 1];
    float curPrecision = precision[n - 1];
    for (int i = n - 2; i >= 0; i--) {
      curPrecision = Math.max(precision[i], curPrecision);
      if (Math.abs(curRecall - recall[i]) > EPS) {
        ap += curPrecision * Math.abs(curRecall - recall[i]);
      }
      curRecall = recall[i];
    }
    return ap + curRecall * curPrecision;
  }

  private static float integral(float[] precision, float[] recall) {
    float ap = 0;
    float previous = 0;
    for (int i = 0; i < precision.length; i++) {
      if (Math.abs(recall[i] - previous) > EPS) {
        ap += precision[i] * Math.abs(recall[i] - previous);
      }
      previous = recall[i];
    }
    return ap;
  }
}
