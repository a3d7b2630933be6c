package org.kaffee.inference;

import java.util.List;
import java.util.Locale;
import org.kaffee.core.KaffeeException;

/**
 * The average precision of one class from its detections, best first, each a true or a false
 * positive, and its count of ground-truth boxes (SSD's ComputeAP). Precision and recall are
 * taken after each detection. ELEVEN_POINT (VOC2007, SSD's "11point") averages, over the
 * recalls 0, 0.1, ..., 1, the best precision at that recall or above (0 when never reached);
 * ALL_POINTS (VOC2010 and later, SSD's "MaxIntegral") integrates the precision made monotone
 * (the best at each recall or above) over recall. A class without ground truth or without
 * detections has AP 0.
 */
public enum AveragePrecision {
  ELEVEN_POINT("11point"),
  ALL_POINTS("MaxIntegral");

  private final String ssdName;

  AveragePrecision(String ssdName) {
    this.ssdName = ssdName;
  }

  /** SSD's ap_version name. */
  public String ssdName() {
    return ssdName;
  }

  /** By SSD's ap_version name ("11point", "MaxIntegral"). */
  public static AveragePrecision named(String name, String flag) {
    for (AveragePrecision v : values()) {
      if (v.ssdName.equalsIgnoreCase(name)) {
        return v;
      }
    }
    throw new KaffeeException(String.format(Locale.ROOT, "%s=%s: give 11point or MaxIntegral", flag, name));
  }

  /** AP of detections already sorted best first: {@code truePositive.get(i)} tells detection i's kind. */
  public double of(List<Boolean> truePositive, int positives) {
    int n = truePositive.size();
    if (n == 0 || positives == 0) {
      return 0;
    }
    double[] precision = new double[n];
    double[] recall = new double[n];
    int tp = 0;
    for (int i = 0; i < n; i++) {
      tp += truePositive.get(i) ? 1 : 0;
      precision[i] = (double) tp / (i + 1);
      recall[i] = (double) tp / positives;
    }
    return this == ELEVEN_POINT ? elevenPoint(precision, recall) : allPoints(precision, recall);
  }

  private static double elevenPoint(double[] precision, double[] recall) {
    double sum = 0;
    for (int j = 0; j <= 10; j++) {
      double best = 0;
      for (int i = 0; i < precision.length; i++) {
        if (recall[i] >= j / 10.0) {
          best = Math.max(best, precision[i]);
        }
      }
      sum += best;
    }
    return sum / 11;
  }

  /** Walks back from the last detection, keeping the best precision seen, one rectangle per recall step. */
  private static double allPoints(double[] precision, double[] recall) {
    double ap = 0;
    double best = 0;
    for (int i = precision.length - 1; i >= 0; i--) {
      best = Math.max(best, precision[i]);
      double previousRecall = i == 0 ? 0 : recall[i - 1];
      ap += best * (recall[i] - previousRecall);
    }
    return ap;
  }
}
