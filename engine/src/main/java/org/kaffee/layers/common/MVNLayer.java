package org.kaffee.layers.common;

import java.util.List;
import org.kaffee.core.Blob;
import org.kaffee.core.BlobCounts;
import org.kaffee.core.DataView;
import org.kaffee.core.Layer;
import org.kaffee.proto.Caffe.LayerParameter;
import org.kaffee.proto.Caffe.MVNParameter;

/**
 * Caffe's MVN: subtracts the mean of each (item, channel), or of each item with
 * {@code across_channels}, and with {@code normalize_variance} divides by
 * {@code sqrt(var) + eps} (eps added after the root, as Caffe). Backward is Caffe's formula.
 */
public final class MVNLayer extends Layer {
  private int num;
  private int dim;
  private double[] std = new double[0];

  public MVNLayer(LayerParameter param) {
    super(param, BlobCounts.of(1, 1));
  }

  @Override
  public String type() {
    return "MVN";
  }

  @Override
  public void reshape(List<Blob> bottom, List<Blob> top) {
    Blob b = bottom.get(0);
    top.get(0).reshapeLike(b);
    num = param.getMvnParam().getAcrossChannels() ? b.num() : b.num() * b.channels();
    dim = num == 0 ? 0 : b.count() / num;
    if (std.length < num) {
      std = new double[num];
    }
  }

  @Override
  public void forward(List<Blob> bottom, List<Blob> top) {
    MVNParameter p = param.getMvnParam();
    DataView x = bottom.get(0).dataView();
    DataView y = top.get(0).dataView();
    for (int i = 0; i < num; i++) {
      int base = i * dim;
      double s = 0;
      for (int j = 0; j < dim; j++) {
        s += x.get(base + j);
      }
      double mean = s / dim;
      double sq = 0;
      for (int j = 0; j < dim; j++) {
        double v = x.get(base + j) - mean;
        y.set(base + j, v);
        sq += v * v;
      }
      if (p.getNormalizeVariance()) {
        double sd = Math.sqrt(sq / dim) + p.getEps();
        std[i] = sd;
        double inv = 1 / sd;
        for (int j = 0; j < dim; j++) {
          y.set(base + j, y.get(base + j) * inv);
        }
      }
    }
  }

  @Override
  public void backward(List<Blob> top, boolean[] propagateDown, List<Blob> bottom) {
    if (!propagateDown[0]) {
      return;
    }
    boolean normalize = param.getMvnParam().getNormalizeVariance();
    DataView y = top.get(0).dataView();
    DataView dy = top.get(0).diffView();
    DataView dx = bottom.get(0).diffView();
    for (int i = 0; i < num; i++) {
      int base = i * dim;
      if (normalize) {
        // dx = (dy - mean(dy) - y * mean(dy * y)) / std
        double sdyy = 0;
        double sdy = 0;
        for (int j = 0; j < dim; j++) {
          double g = dy.get(base + j);
          sdyy += g * y.get(base + j);
          sdy += g;
        }
        double inv = 1 / std[i];
        for (int j = 0; j < dim; j++) {
          double v = dy.get(base + j) - (sdy + y.get(base + j) * sdyy) / dim;
          dx.set(base + j, v * inv);
        }
      } else {
        double sdy = 0;
        for (int j = 0; j < dim; j++) {
          sdy += dy.get(base + j);
        }
        double mean = sdy / dim;
        for (int j = 0; j < dim; j++) {
          dx.set(base + j, dy.get(base + j) - mean);
        }
      }
    }
  }
}
