package org.kaffee.layers.vision;

import java.util.List;
import org.kaffee.core.Blob;
import org.kaffee.core.DataView;
import org.kaffee.core.Layer;
import org.kaffee.proto.Caffe.LRNParameter;
import org.kaffee.proto.Caffe.LRNParameter.NormRegion;
import org.kaffee.proto.Caffe.LayerParameter;

/**
 * Caffe's local response normalization, {@code top = bottom * scale^-beta}.
 * ACROSS_CHANNELS: {@code scale = k + alpha / size * sum of x^2 over size neighbouring
 * channels}. WITHIN_CHANNEL (Caffe composes it from square, AVE pooling with padding
 * {@code (size - 1) / 2}, power and product layers): {@code scale = 1 + alpha * mean of x^2}
 * over a size x size window whose divisor counts padding as AVE pooling does; k is unused.
 */
public final class LRNLayer extends Layer {
  private int size;
  private int prePad;
  private double alpha;
  private double beta;
  private double k;
  private boolean across;
  private int num;
  private int channels;
  private int height;
  private int width;
  private double[] scale = new double[0];
  private double[] ratio = new double[0];
  /**
   * WITHIN_CHANNEL windows: Caffe computes them with an AVE pooling of the squares (stride 1,
   * pad prePad), so the same clipping and padded divisor apply.
   */
  private final PoolingWindows rows = new PoolingWindows();
  private final PoolingWindows cols = new PoolingWindows();

  public LRNLayer(LayerParameter param) {
    super(param);
  }

  @Override
  public String type() {
    return "LRN";
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
    LRNParameter p = param.getLrnParam();
    size = p.getLocalSize();
    check(size % 2 == 1, "LRN only supports odd values for local_size");
    prePad = (size - 1) / 2;
    alpha = p.getAlpha();
    beta = p.getBeta();
    k = p.getK();
    across = p.getNormRegion() == NormRegion.ACROSS_CHANNELS;
  }

  @Override
  public void reshape(List<Blob> bottom, List<Blob> top) {
    Blob b = bottom.get(0);
    check(b.numAxes() == 4, "input must have 4 axes, corresponding to (num, channels, height, width); got %s",
        b.shapeString());
    num = b.num();
    channels = b.channels();
    height = b.height();
    width = b.width();
    top.get(0).reshape(num, channels, height, width);
    if (scale.length < b.count()) {
      scale = new double[b.count()];
      ratio = new double[b.count()];
    }
    if (!across) {
      rows.compute(height, height, size, 1, prePad);
      cols.compute(width, width, size, 1, prePad);
    }
  }

  @Override
  public void forward(List<Blob> bottom, List<Blob> top) {
    DataView in = bottom.get(0).dataView();
    DataView out = top.get(0).dataView();
    if (across) {
      scaleAcross(in);
    } else {
      scaleWithin(in);
    }
    int n = bottom.get(0).count();
    for (int i = 0; i < n; i++) {
      out.set(i, in.get(i) * Math.pow(scale[i], -beta));
    }
  }

  private void scaleAcross(DataView in) {
    int plane = height * width;
    double a = alpha / size;
    for (int n = 0; n < num; n++) {
      int base = n * channels * plane;
      for (int p = 0; p < plane; p++) {
        // Sliding window sum of squares over channels [c - prePad, c + size - 1 - prePad].
        double sum = 0;
        for (int c = 0; c < Math.min(size - 1 - prePad, channels); c++) {
          double v = in.get(base + c * plane + p);
          sum += v * v;
        }
        for (int c = 0; c < channels; c++) {
          int head = c + size - 1 - prePad;
          if (head < channels) {
            double v = in.get(base + head * plane + p);
            sum += v * v;
          }
          int tail = c - prePad - 1;
          if (tail >= 0) {
            double v = in.get(base + tail * plane + p);
            sum -= v * v;
          }
          scale[base + c * plane + p] = k + a * sum;
        }
      }
    }
  }

  private void scaleWithin(DataView in) {
    int planes = num * channels;
    for (int pl = 0; pl < planes; pl++) {
      int base = pl * height * width;
      for (int y = 0; y < height; y++) {
        for (int x = 0; x < width; x++) {
          double sum = 0;
          for (int h = rows.start[y]; h < rows.end[y]; h++) {
            for (int w = cols.start[x]; w < cols.end[x]; w++) {
              double v = in.get(base + h * width + w);
              sum += v * v;
            }
          }
          int poolSize = rows.divisorSpan[y] * cols.divisorSpan[x];
          scale[base + y * width + x] = 1 + alpha * sum / poolSize;
        }
      }
    }
  }

  @Override
  public void backward(List<Blob> top, boolean[] propagateDown, List<Blob> bottom) {
    if (!propagateDown[0]) {
      return;
    }
    DataView x = bottom.get(0).dataView();
    DataView g = bottom.get(0).diffView();
    DataView y = top.get(0).dataView();
    DataView dy = top.get(0).diffView();
    int count = bottom.get(0).count();
    for (int i = 0; i < count; i++) {
      ratio[i] = dy.get(i) * y.get(i) / scale[i];
    }
    if (across) {
      backwardAcross(x, g, dy);
    } else {
      backwardWithin(x, g, dy);
    }
  }

  private void backwardAcross(DataView x, DataView g, DataView dy) {
    int plane = height * width;
    double factor = 2.0 * alpha * beta / size;
    for (int n = 0; n < num; n++) {
      int base = n * channels * plane;
      for (int p = 0; p < plane; p++) {
        // Channel i feeds the scales of channels [i - (size - 1 - prePad), i + prePad].
        double acc = 0;
        for (int c = 0; c < Math.min(prePad, channels); c++) {
          acc += ratio[base + c * plane + p];
        }
        for (int i = 0; i < channels; i++) {
          int head = i + prePad;
          if (head < channels) {
            acc += ratio[base + head * plane + p];
          }
          int tail = i - (size - 1 - prePad) - 1;
          if (tail >= 0) {
            acc -= ratio[base + tail * plane + p];
          }
          int idx = base + i * plane + p;
          g.set(idx, dy.get(idx) * Math.pow(scale[idx], -beta) - factor * x.get(idx) * acc);
        }
      }
    }
  }

  private void backwardWithin(DataView x, DataView g, DataView dy) {
    int count = num * channels * height * width;
    for (int i = 0; i < count; i++) {
      g.set(i, dy.get(i) * Math.pow(scale[i], -beta));
    }
    double factor = 2.0 * alpha * beta;
    int planes = num * channels;
    for (int pl = 0; pl < planes; pl++) {
      int base = pl * height * width;
      for (int yy = 0; yy < height; yy++) {
        for (int xx = 0; xx < width; xx++) {
          int poolSize = rows.divisorSpan[yy] * cols.divisorSpan[xx];
          double r = factor * ratio[base + yy * width + xx] / poolSize;
          for (int h = rows.start[yy]; h < rows.end[yy]; h++) {
            for (int w = cols.start[xx]; w < cols.end[xx]; w++) {
              int idx = base + h * width + w;
              g.add(idx, -r * x.get(idx));
            }
          }
        }
      }
    }
  }
}
