package org.kaffee.layers.vision;

import java.nio.FloatBuffer;
import org.kaffee.core.DataView;
import org.kaffee.core.Parallel;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A float32, 2-D, single-group convolution as Caffe computes it, im2col and gemm, but for the
 * whole batch at once: the columns of every image in one buffer, one batched matmul. Used
 * where it measures faster than oneDNN: the forward and backward of layers with one input
 * channel (oneDNN's kernels vectorize over input channels), and the param gradients of any
 * layer whose bottom needs no gradient (conv2d_bp would also compute the input gradient).
 *
 * <p>Each image's column block has {@code kernelDim} rows and, with a bias, one more row of
 * ones, so the bias rides along the weights in the same matmul. The columns written by
 * {@link #toColumns} stay valid until the next call, so a backward after a forward on this
 * path reuses them.
 */
final class BatchedGemmConvolution {
  private final int num;
  private final int channels;
  private final int height;
  private final int width;
  private final int[] kernel;
  private final int[] pad;
  private final int[] stride;
  private final int[] dilation;
  private final int outH;
  private final int outW;
  private final int kernelDim;
  private final int rows;
  private final int numOutput;
  private final boolean bias;
  /** [num, rows, outH * outW]: every image's columns (and ones row). */
  private final INDArray cols;
  /** [num, numOutput, rows]: the weights (and bias) per image for the forward matmul. */
  private final INDArray weights;
  /** [num, numOutput, rows]: per-image param gradients, summed over images afterwards. */
  private final INDArray grads;
  private final float[] weightRows;
  private final float[] gradSums;
  private final float[][] imageScratch;
  private final float[][] colScratch;

  BatchedGemmConvolution(int num, int channels, int height, int width, int[] kernel, int[] pad, int[] stride,
      int[] dilation, int outH, int outW, int numOutput, boolean bias) {
    this.num = num;
    this.channels = channels;
    this.height = height;
    this.width = width;
    this.kernel = kernel;
    this.pad = pad;
    this.stride = stride;
    this.dilation = dilation;
    this.outH = outH;
    this.outW = outW;
    this.kernelDim = channels * kernel[0] * kernel[1];
    this.rows = kernelDim + (bias ? 1 : 0);
    this.numOutput = numOutput;
    this.bias = bias;
    int spatial = outH * outW;
    cols = Nd4j.create(DataType.FLOAT, num, rows, spatial);
    if (bias) {
      // The ones rows never change: im2col writes only the first kernelDim rows of a block.
      FloatBuffer c = cols.data().asNioFloat();
      for (int n = 0; n < num; n++) {
        int at = (n * rows + kernelDim) * spatial;
        for (int i = 0; i < spatial; i++) {
          c.put(at + i, 1f);
        }
      }
    }
    weights = Nd4j.create(DataType.FLOAT, num, numOutput, rows);
    grads = Nd4j.create(DataType.FLOAT, num, numOutput, rows);
    weightRows = new float[numOutput * rows];
    gradSums = new float[num * numOutput * rows];
    imageScratch = new float[Parallel.workers()][channels * height * width];
    colScratch = new float[Parallel.workers()][kernelDim * spatial];
  }

  /** True when this layout still fits a bottom of this shape. */
  boolean fits(int n, int c, int h, int w) {
    return n == num && c == channels && h == height && w == width;
  }

  /** im2col of every image of {@code bottom} ([num, channels, height, width]). */
  void toColumns(INDArray bottom) {
    FloatBuffer in = bottom.data().asNioFloat();
    FloatBuffer out = cols.data().asNioFloat();
    int imageSize = channels * height * width;
    int colSize = kernelDim * outH * outW;
    Parallel.forRange(num, (worker, from, to) -> {
      float[] image = imageScratch[worker];
      float[] col = colScratch[worker];
      for (int n = from; n < to; n++) {
        in.get(n * imageSize, image, 0, imageSize);
        im2col(image, col);
        out.put(n * rows * outH * outW, col, 0, colSize);
      }
    });
  }

  /** Caffe's im2col of one image, on heap arrays (row copies where the stride is 1). */
  private void im2col(float[] image, float[] col) {
    int c = 0;
    for (int ch = 0; ch < channels; ch++) {
      int plane = ch * height * width;
      for (int ki = 0; ki < kernel[0]; ki++) {
        for (int kj = 0; kj < kernel[1]; kj++) {
          int x0 = kj * dilation[1] - pad[1];
          // Output columns [xs, xe) read inside the image; the rest read the zero padding.
          int xs = Math.min(outW, Math.max(0, ceilDiv(-x0, stride[1])));
          int xe = Math.max(xs, Math.min(outW, ceilDiv(width - x0, stride[1])));
          for (int y = 0; y < outH; y++, c += outW) {
            int row = y * stride[0] - pad[0] + ki * dilation[0];
            if (row < 0 || row >= height) {
              java.util.Arrays.fill(col, c, c + outW, 0f);
              continue;
            }
            java.util.Arrays.fill(col, c, c + xs, 0f);
            java.util.Arrays.fill(col, c + xe, c + outW, 0f);
            int src = plane + row * width + x0;
            if (stride[1] == 1) {
              System.arraycopy(image, src + xs, col, c + xs, xe - xs);
            } else {
              for (int x = xs; x < xe; x++) {
                col[c + x] = image[src + x * stride[1]];
              }
            }
          }
        }
      }
    }
  }

  private static int ceilDiv(int a, int b) {
    return -Math.floorDiv(-a, b);
  }

  /** top = W * columns (+ b), for the columns of the last {@link #toColumns}. */
  void forward(INDArray w, INDArray b, INDArray top) {
    FloatBuffer wb = w.data().asNioFloat();
    for (int o = 0; o < numOutput; o++) {
      wb.get(o * kernelDim, weightRows, o * rows, kernelDim);
      if (bias) {
        weightRows[o * rows + kernelDim] = b.getFloat(o);
      }
    }
    FloatBuffer dst = weights.data().asNioFloat();
    for (int n = 0; n < num; n++) {
      dst.put(n * weightRows.length, weightRows);
    }
    Nd4j.exec(DynamicCustomOp.builder("matmul")
        .addInputs(weights, cols).addOutputs(top.reshape('c', num, numOutput, outH * outW)).build());
  }

  /**
   * Adds the param gradients for {@code topDiff} to the weight and bias diffs (either may be
   * null: not wanted), from the columns of the last {@link #toColumns}.
   */
  void accumulateParamGradients(INDArray topDiff, DataView weightDiff, DataView biasDiff) {
    INDArray grad3 = topDiff.reshape('c', num, numOutput, outH * outW);
    Nd4j.exec(DynamicCustomOp.builder("matmul").addInputs(grad3, cols).addOutputs(grads)
        .addIntegerArguments(0, 1).build());
    grads.data().asNioFloat().get(0, gradSums);
    int per = numOutput * rows;
    for (int i = 0; i < per; i++) {
      double sum = 0;
      for (int n = 0; n < num; n++) {
        sum += gradSums[n * per + i];
      }
      int o = i / rows;
      int r = i % rows;
      if (r < kernelDim) {
        if (weightDiff != null) {
          weightDiff.add(o * kernelDim + r, sum);
        }
      } else if (biasDiff != null) {
        biasDiff.add(o, sum);
      }
    }
  }
}
