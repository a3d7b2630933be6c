package org.kaffee.kernels;

import java.util.Arrays;
import org.kaffee.core.Blob;
import org.kaffee.core.DataView;

/**
 * A direct loop for depthwise convolutions (group == channels > 1, MobileNet's 3x3 layers and
 * the forks' DepthwiseConvolution / ConvolutionDepthwise): output channel o filters input channel
 * {@code o / multiplier} with its own kernel. im2col would build a column matrix only kernel-size
 * rows deep for each channel; here each plane is walked once per kernel tap, the valid output
 * range of a tap computed up front so the inner loop has no bounds tests and vectorizes.
 *
 * <p>Planes are copied into per-worker double arrays, so one code serves float32 and float64.
 * Forward splits output planes, the bottom gradient input planes and the weight gradient output
 * channels between the cores; every item is computed whole by one worker in a fixed order, so
 * results do not depend on the number of workers.
 */
final class DepthwiseConvolution implements ConvolutionEngine {
  private final Blob weights;
  private final Blob bias;
  private final int num;
  private final int channels;
  private final int outputs;
  private final int multiplier;
  private final int height;
  private final int width;
  private final int outHeight;
  private final int outWidth;
  private final int[] kernel;
  private final int[] stride;
  private final int[] pad;
  private final int[] dilation;
  private final double[][] inPlane;
  private final double[][] outPlane;

  DepthwiseConvolution(ConvolutionShape shape, Blob weights, Blob bias) {
    this.weights = weights;
    this.bias = bias;
    num = shape.num();
    channels = shape.channels();
    outputs = shape.numOutput();
    multiplier = outputs / channels;
    height = shape.inSpatial()[0];
    width = shape.inSpatial()[1];
    outHeight = shape.outSpatial()[0];
    outWidth = shape.outSpatial()[1];
    kernel = shape.kernel();
    stride = shape.stride();
    pad = shape.pad();
    dilation = shape.dilation();
    int workers = Parallel.workers();
    inPlane = new double[workers][height * width];
    outPlane = new double[workers][outHeight * outWidth];
  }

  /** 2-D NCHW convolutions whose groups are the input channels, each giving whole outputs. */
  static boolean fits(ConvolutionShape s) {
    return !s.transposed() && s.numSpatial() == 2 && s.channelAxis() == 1 && s.channels() > 1
        && s.group() == s.channels() && s.numOutput() % s.channels() == 0;
  }

  private int taps() {
    return kernel[0] * kernel[1];
  }

  @Override
  public void forward(Blob bottom, Blob top) {
    DataView x = bottom.dataView();
    DataView y = top.dataView();
    double[] w = values(weights.dataView());
    double[] b = bias == null ? null : values(bias.dataView());
    int outSize = outHeight * outWidth;
    Parallel.forRange(num * outputs, (worker, from, to) -> {
      double[] in = inPlane[worker];
      double[] out = outPlane[worker];
      for (int p = from; p < to; p++) {
        int o = p % outputs;
        read(x, (p / outputs * channels + o / multiplier) * in.length, in);
        Arrays.fill(out, b == null ? 0 : b[o]);
        for (int ky = 0; ky < kernel[0]; ky++) {
          for (int kx = 0; kx < kernel[1]; kx++) {
            accumulate(in, out, w[o * taps() + ky * kernel[1] + kx], ky, kx);
          }
        }
        write(out, y, p * outSize);
      }
    });
  }

  /** out += tap * in over the windows where tap (ky, kx) falls inside the input. */
  private void accumulate(double[] in, double[] out, double tap, int ky, int kx) {
    int y0 = firstOutput(ky, 0);
    int y1 = endOutput(ky, 0, height, outHeight);
    int x0 = firstOutput(kx, 1);
    int x1 = endOutput(kx, 1, width, outWidth);
    for (int oy = y0; oy < y1; oy++) {
      int row = (oy * stride[0] - pad[0] + ky * dilation[0]) * width - pad[1] + kx * dilation[1];
      int o = oy * outWidth;
      for (int ox = x0; ox < x1; ox++) {
        out[o + ox] += tap * in[row + ox * stride[1]];
      }
    }
  }

  @Override
  public void backward(Blob top, Blob bottom, Wanted wanted) {
    DataView dy = top.diffView();
    if (wanted.bias()) {
      biasGradient(dy);
    }
    if (wanted.weights()) {
      weightGradient(bottom.dataView(), dy);
    }
    if (wanted.bottom()) {
      bottomGradient(dy, bottom.diffView());
    }
  }

  private void biasGradient(DataView dy) {
    DataView db = bias.diffView();
    int outSize = outHeight * outWidth;
    for (int o = 0; o < outputs; o++) {
      double sum = 0;
      for (int n = 0; n < num; n++) {
        int base = (n * outputs + o) * outSize;
        for (int i = 0; i < outSize; i++) {
          sum += dy.get(base + i);
        }
      }
      db.add(o, sum);
    }
  }

  private void weightGradient(DataView x, DataView dy) {
    DataView dw = weights.diffView();
    int outSize = outHeight * outWidth;
    Parallel.forRange(outputs, (worker, from, to) -> {
      double[] in = inPlane[worker];
      double[] grad = outPlane[worker];
      double[] sums = new double[taps()];
      for (int o = from; o < to; o++) {
        Arrays.fill(sums, 0);
        for (int n = 0; n < num; n++) {
          read(x, (n * channels + o / multiplier) * in.length, in);
          read(dy, (n * outputs + o) * outSize, grad);
          for (int k = 0; k < sums.length; k++) {
            sums[k] += correlate(in, grad, k / kernel[1], k % kernel[1]);
          }
        }
        for (int k = 0; k < sums.length; k++) {
          dw.add(o * sums.length + k, sums[k]);
        }
      }
    });
  }

  /** sum of dout * in over the windows where tap (ky, kx) falls inside the input. */
  private double correlate(double[] in, double[] dout, int ky, int kx) {
    int y0 = firstOutput(ky, 0);
    int y1 = endOutput(ky, 0, height, outHeight);
    int x0 = firstOutput(kx, 1);
    int x1 = endOutput(kx, 1, width, outWidth);
    double sum = 0;
    for (int oy = y0; oy < y1; oy++) {
      int row = (oy * stride[0] - pad[0] + ky * dilation[0]) * width - pad[1] + kx * dilation[1];
      int o = oy * outWidth;
      for (int ox = x0; ox < x1; ox++) {
        sum += dout[o + ox] * in[row + ox * stride[1]];
      }
    }
    return sum;
  }

  private void bottomGradient(DataView dy, DataView dx) {
    double[] w = values(weights.dataView());
    int outSize = outHeight * outWidth;
    Parallel.forRange(num * channels, (worker, from, to) -> {
      double[] grad = inPlane[worker];
      double[] dout = outPlane[worker];
      for (int p = from; p < to; p++) {
        Arrays.fill(grad, 0);
        int c = p % channels;
        for (int o = c * multiplier; o < (c + 1) * multiplier; o++) {
          read(dy, (p / channels * outputs + o) * outSize, dout);
          for (int ky = 0; ky < kernel[0]; ky++) {
            for (int kx = 0; kx < kernel[1]; kx++) {
              scatter(dout, grad, w[o * taps() + ky * kernel[1] + kx], ky, kx);
            }
          }
        }
        write(grad, dx, p * grad.length);
      }
    });
  }

  /** din += tap * dout over the windows where tap (ky, kx) falls inside the input. */
  private void scatter(double[] dout, double[] din, double tap, int ky, int kx) {
    int y0 = firstOutput(ky, 0);
    int y1 = endOutput(ky, 0, height, outHeight);
    int x0 = firstOutput(kx, 1);
    int x1 = endOutput(kx, 1, width, outWidth);
    for (int oy = y0; oy < y1; oy++) {
      int row = (oy * stride[0] - pad[0] + ky * dilation[0]) * width - pad[1] + kx * dilation[1];
      int o = oy * outWidth;
      for (int ox = x0; ox < x1; ox++) {
        din[row + ox * stride[1]] += tap * dout[o + ox];
      }
    }
  }

  /** The first output index whose input position {@code o * stride - pad + k * dilation} is >= 0. */
  private int firstOutput(int k, int axis) {
    int offset = k * dilation[axis] - pad[axis];
    return offset >= 0 ? 0 : (-offset + stride[axis] - 1) / stride[axis];
  }

  /** One past the last output index whose input position is inside {@code [0, size)}. */
  private int endOutput(int k, int axis, int size, int outSize) {
    int offset = k * dilation[axis] - pad[axis];
    if (offset >= size) {
      return 0;
    }
    return Math.min(outSize, (size - 1 - offset) / stride[axis] + 1);
  }

  private static double[] values(DataView v) {
    double[] out = new double[v.length()];
    read(v, 0, out);
    return out;
  }

  private static void read(DataView from, int offset, double[] to) {
    for (int i = 0; i < to.length; i++) {
      to[i] = from.get(offset + i);
    }
  }

  private static void write(double[] from, DataView to, int offset) {
    for (int i = 0; i < from.length; i++) {
      to.set(offset + i, from[i]);
    }
  }
}
