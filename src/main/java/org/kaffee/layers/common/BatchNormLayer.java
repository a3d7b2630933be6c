package org.kaffee.layers.common;

import java.util.List;
import org.kaffee.core.Blob;
import org.kaffee.core.DataView;
import org.kaffee.core.Layer;
import org.kaffee.proto.Caffe.BatchNormParameter;
import org.kaffee.proto.Caffe.LayerParameter;
import org.kaffee.proto.Caffe.Phase;

/**
 * Caffe's BatchNorm: normalises each channel (axis 1) to zero mean and unit variance. Its three
 * blobs are running sums: mean, variance (with the m/(m-1) correction) and the moving-average
 * factor; they are divided by the factor at use, a zero factor meaning "no statistics yet"
 * (mean and variance taken as 0). In TRAIN (unless {@code use_global_stats}) the batch's
 * statistics are used and the running sums updated. The blobs are statistics, not learned:
 * this layer never writes their diffs (Caffe forces their lr_mult to 0).
 */
public final class BatchNormLayer extends Layer {
  private boolean useGlobalStats;
  private double movingAverageFraction;
  private double eps;
  private int channels;
  private int num;
  private int spatial;
  private double[] mean = new double[0];
  private double[] std = new double[0];
  private Blob xNorm;

  public BatchNormLayer(LayerParameter param) {
    super(param);
  }

  @Override
  public String type() {
    return "BatchNorm";
  }

  @Override
  public int exactNumBottomBlobs() {
    return 1;
  }

  @Override
  public int exactNumTopBlobs() {
    return 1;
  }

  @Override
  protected void layerSetUp(List<Blob> bottom, List<Blob> top) {
    BatchNormParameter p = param.getBatchNormParam();
    movingAverageFraction = p.getMovingAverageFraction();
    useGlobalStats = p.hasUseGlobalStats() ? p.getUseGlobalStats() : phase == Phase.TEST;
    channels = bottom.get(0).numAxes() == 1 ? 1 : bottom.get(0).shape(1);
    eps = p.getEps();
    if (blobs.isEmpty()) {
      blobs.add(newBlob(channels));
      blobs.add(newBlob(channels));
      blobs.add(newBlob(1));
    }
    for (int i = 0; i < param.getParamCount() && i < 3; i++) {
      check(param.getParam(i).getLrMult() == 0,
          "cannot configure batch normalization statistics as layer parameters (param %d has "
          + "lr_mult %s; it must be 0)", i, param.getParam(i).getLrMult());
    }
    mean = new double[channels];
    std = new double[channels];
    xNorm = newBlob();
  }

  @Override
  public void reshape(List<Blob> bottom, List<Blob> top) {
    Blob b = bottom.get(0);
    if (b.numAxes() > 1) {
      check(b.shape(1) == channels, "bottom %s has %d channels, the layer was set up for %d",
          b.shapeString(), b.shape(1), channels);
    }
    top.get(0).reshapeLike(b);
    xNorm.reshapeLike(b);
    num = b.numAxes() == 0 ? 1 : b.shape(0);
    spatial = num * channels == 0 ? 0 : b.count() / (num * channels);
  }

  @Override
  public void forward(List<Blob> bottom, List<Blob> top) {
    DataView x = bottom.get(0).dataView();
    DataView y = top.get(0).dataView();
    DataView meanBlob = blobs.get(0).dataView();
    DataView varBlob = blobs.get(1).dataView();
    DataView factor = blobs.get(2).dataView();
    int n = num * spatial;
    if (useGlobalStats) {
      double f = factor.get(0);
      double sf = f == 0 ? 0 : 1 / f;
      for (int c = 0; c < channels; c++) {
        mean[c] = sf * meanBlob.get(c);
        std[c] = Math.sqrt(sf * varBlob.get(c) + eps);
      }
    } else {
      for (int c = 0; c < channels; c++) {
        double s = 0;
        for (int k = 0; k < num; k++) {
          int base = (k * channels + c) * spatial;
          for (int i = 0; i < spatial; i++) {
            s += x.get(base + i);
          }
        }
        mean[c] = n == 0 ? 0 : s / n;
      }
    }
    // y = x - mean
    for (int k = 0; k < num; k++) {
      for (int c = 0; c < channels; c++) {
        int base = (k * channels + c) * spatial;
        double mu = mean[c];
        for (int i = 0; i < spatial; i++) {
          y.set(base + i, x.get(base + i) - mu);
        }
      }
    }
    if (!useGlobalStats) {
      double m = bottom.get(0).count() / (double) channels;
      double correction = m > 1 ? m / (m - 1) : 1;
      factor.set(0, factor.get(0) * movingAverageFraction + 1);
      for (int c = 0; c < channels; c++) {
        double s = 0;
        for (int k = 0; k < num; k++) {
          int base = (k * channels + c) * spatial;
          for (int i = 0; i < spatial; i++) {
            double v = y.get(base + i);
            s += v * v;
          }
        }
        double var = n == 0 ? 0 : s / n;
        meanBlob.set(c, mean[c] + movingAverageFraction * meanBlob.get(c));
        varBlob.set(c, correction * var + movingAverageFraction * varBlob.get(c));
        std[c] = Math.sqrt(var + eps);
      }
    }
    DataView xn = xNorm.dataView();
    for (int k = 0; k < num; k++) {
      for (int c = 0; c < channels; c++) {
        int base = (k * channels + c) * spatial;
        double inv = 1 / std[c];
        for (int i = 0; i < spatial; i++) {
          double v = y.get(base + i) * inv;
          y.set(base + i, v);
          xn.set(base + i, v);
        }
      }
    }
  }

  @Override
  public void backward(List<Blob> top, boolean[] propagateDown, List<Blob> bottom) {
    if (!propagateDown[0]) {
      return;
    }
    DataView dy = top.get(0).diffView();
    DataView dx = bottom.get(0).diffView();
    if (useGlobalStats) {
      for (int k = 0; k < num; k++) {
        for (int c = 0; c < channels; c++) {
          int base = (k * channels + c) * spatial;
          double inv = 1 / std[c];
          for (int i = 0; i < spatial; i++) {
            dx.set(base + i, dy.get(base + i) * inv);
          }
        }
      }
      return;
    }
    // dx = (dy - mean(dy) - mean(dy * y) * y) / std, means per channel over batch and space.
    DataView yv = xNorm.dataView();
    int n = num * spatial;
    for (int c = 0; c < channels; c++) {
      double sdy = 0;
      double sdyy = 0;
      for (int k = 0; k < num; k++) {
        int base = (k * channels + c) * spatial;
        for (int i = 0; i < spatial; i++) {
          double g = dy.get(base + i);
          sdy += g;
          sdyy += g * yv.get(base + i);
        }
      }
      double mdy = sdy / n;
      double mdyy = sdyy / n;
      double inv = 1 / std[c];
      for (int k = 0; k < num; k++) {
        int base = (k * channels + c) * spatial;
        for (int i = 0; i < spatial; i++) {
          dx.set(base + i, (dy.get(base + i) - mdy - mdyy * yv.get(base + i)) * inv);
        }
      }
    }
  }
}
