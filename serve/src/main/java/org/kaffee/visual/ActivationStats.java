package org.kaffee.visual;

import org.kaffee.core.Blob;
import org.kaffee.core.DataView;

/** Mean, standard deviation and fraction of exact zeros of the first image's values in a blob. */
public record ActivationStats(String blob, double mean, double std, double zeroFraction) {
  public static ActivationStats of(String name, Blob blob) {
    DataView view = blob.dataView();
    int n = blob.count(1);
    double sum = 0;
    double sumSq = 0;
    int zeros = 0;
    for (int i = 0; i < n; i++) {
      double v = view.get(i);
      sum += v;
      sumSq += v * v;
      if (v == 0) {
        zeros++;
      }
    }
    double mean = sum / n;
    return new ActivationStats(name, mean, Math.sqrt(Math.max(0, sumSq / n - mean * mean)),
        (double) zeros / n);
  }

  public static String header() {
    return String.format("%-16s %12s %12s %8s", "blob", "mean", "std", "zeros");
  }

  /** One line of the table printed by {@code kaffee visualize --blobs}. */
  public String row() {
    return String.format(java.util.Locale.ROOT, "%-16s %12.5g %12.5g %7.1f%%", blob, mean, std,
        100 * zeroFraction);
  }
}
