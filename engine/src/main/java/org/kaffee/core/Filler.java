package org.kaffee.core;

import java.util.Random;
import org.kaffee.proto.Caffe.FillerParameter;
import org.kaffee.proto.Caffe.FillerParameter.VarianceNorm;

/**
 * Caffe's weight fillers. Fan-in is {@code count / shape(0)} and fan-out
 * {@code count / shape(1)}, as in Caffe; every draw comes from {@link Rng#global()}.
 */
public final class Filler {
  private Filler() {
  }

  public static void fill(FillerParameter p, Blob blob) {
    DataView v = blob.dataView();
    int n = blob.count();
    Random rng = Rng.global();
    switch (p.getType()) {
      case "constant" -> {
        for (int i = 0; i < n; i++) {
          v.set(i, p.getValue());
        }
      }
      case "uniform" -> uniform(v, n, p.getMin(), p.getMax(), rng);
      case "gaussian" -> gaussian(p, blob, v, n, rng);
      case "positive_unitball" -> positiveUnitball(blob, v, n, rng);
      case "xavier" -> {
        double scale = Math.sqrt(3.0 / fanNorm(p, blob));
        uniform(v, n, -scale, scale, rng);
      }
      case "msra" -> {
        double std = Math.sqrt(2.0 / fanNorm(p, blob));
        for (int i = 0; i < n; i++) {
          v.set(i, rng.nextGaussian() * std);
        }
      }
      case "bilinear" -> bilinear(blob, v, n);
      default -> throw new KaffeeException("unknown filler type '" + p.getType()
          + "' (known: constant, uniform, gaussian, positive_unitball, xavier, msra, bilinear)");
    }
  }

  private static void uniform(DataView v, int n, double min, double max, Random rng) {
    KaffeeException.check(min <= max, "uniform filler needs min <= max, got %s > %s", min, max);
    for (int i = 0; i < n; i++) {
      v.set(i, min + (max - min) * rng.nextDouble());
    }
  }

  private static void gaussian(FillerParameter p, Blob blob, DataView v, int n, Random rng) {
    for (int i = 0; i < n; i++) {
      v.set(i, p.getMean() + p.getStd() * rng.nextGaussian());
    }
    if (p.getSparse() >= 0) {
      // Each output keeps on average `sparse` non-zero inputs.
      KaffeeException.check(blob.numAxes() >= 1, "sparse gaussian filler needs a blob with axes");
      double keep = (double) p.getSparse() / blob.shape(0);
      for (int i = 0; i < n; i++) {
        if (rng.nextDouble() >= keep) {
          v.set(i, 0);
        }
      }
    }
  }

  private static void positiveUnitball(Blob blob, DataView v, int n, Random rng) {
    int num = blob.numAxes() > 0 ? blob.shape(0) : 1;
    int dim = n / Math.max(num, 1);
    for (int i = 0; i < n; i++) {
      v.set(i, rng.nextDouble());
    }
    for (int r = 0; r < num; r++) {
      double sum = 0;
      for (int j = 0; j < dim; j++) {
        sum += v.get(r * dim + j);
      }
      for (int j = 0; j < dim; j++) {
        v.set(r * dim + j, v.get(r * dim + j) / sum);
      }
    }
  }

  private static double fanNorm(FillerParameter p, Blob blob) {
    int count = blob.count();
    double fanIn = (double) count / blob.shape(0);
    double fanOut = blob.numAxes() > 1 ? (double) count / blob.shape(1) : count;
    if (p.getVarianceNorm() == VarianceNorm.FAN_OUT) {
      return fanOut;
    }
    if (p.getVarianceNorm() == VarianceNorm.AVERAGE) {
      return (fanIn + fanOut) / 2;
    }
    return fanIn;
  }

  private static void bilinear(Blob blob, DataView v, int n) {
    KaffeeException.check(blob.numAxes() == 4 && blob.width() == blob.height(),
        "bilinear filler needs a 4-D blob with width == height, got %s", blob.shapeString());
    int k = blob.width();
    double f = Math.ceil(k / 2.0);
    double c = (2 * f - 1 - f % 2) / (2 * f);
    for (int i = 0; i < n; i++) {
      double x = i % k;
      double y = (i / k) % k;
      v.set(i, (1 - Math.abs(x / f - c)) * (1 - Math.abs(y / f - c)));
    }
  }
}
