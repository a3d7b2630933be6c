package org.kaffee.kernels;

import java.nio.FloatBuffer;
import java.util.Arrays;
import org.kaffee.core.Blob;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A float32, 2-D, single-group convolution as Caffe computes it, im2col and gemm, but for the
 * whole batch at once: the columns of every image in one buffer, one batched matmul per pass.
 * im2col and col2im run in Java, the images split between the cores, and each matmul runs as one
 * op per {@link BatchParts} part on the cores (an image's product is the same either way). It
 * measures faster than oneDNN for layers with one input channel (oneDNN's kernels vectorize over
 * input channels).
 *
 * <p>Each image's column block has {@code kernelDim} rows and, with a bias, one more row of
 * ones, so the bias rides along the weights in the same matmul. A backward right after the
 * forward of the same bottom reuses the forward's columns.
 */
final class BatchedGemmConvolution implements ConvolutionEngine {
  private final Blob weightBlob;
  private final Blob biasBlob;
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
  /** [num, rows, outH * outW]: every image's columns (and ones row). */
  private final INDArray cols;
  /** The bottom values the columns hold, when a backward may reuse them; else null. */
  private INDArray columnsOf;
  /** [num, numOutput, rows]: the weights (and bias) repeated per image for the batched matmul. */
  private final INDArray weights;
  /** [num, numOutput, rows]: per-image param gradients, summed over images afterwards. */
  private final INDArray grads;
  /** [num, rows, outH * outW]: column gradients for the bottom gradient; created on first use. */
  private INDArray colGrads;
  private final float[] weightRows;
  private final float[] gradSums;
  private final float[][] imageScratch;
  private final float[][] colScratch;
  /** Batch parts of the [num, ...] scratch arrays, and of the top's data and diff as [num, numOutput, spatial]. */
  private final BatchParts parts;
  private final BatchParts topParts;

  BatchedGemmConvolution(ConvolutionShape shape, Blob weights, Blob bias) {
    this.weightBlob = weights;
    this.biasBlob = bias;
    num = shape.num();
    channels = shape.channels();
    height = shape.inSpatial()[0];
    width = shape.inSpatial()[1];
    kernel = shape.kernel();
    pad = shape.pad();
    stride = shape.stride();
    dilation = shape.dilation();
    outH = shape.outSpatial()[0];
    outW = shape.outSpatial()[1];
    kernelDim = shape.kernelDim();
    rows = kernelDim + (bias != null ? 1 : 0);
    numOutput = shape.numOutput();
    int spatial = outH * outW;
    cols = Nd4j.create(DataType.FLOAT, num, rows, spatial);
    if (bias != null) {
      // The ones rows never change: im2col writes only the first kernelDim rows of a block.
      FloatBuffer c = cols.data().asNioFloat();
      for (int n = 0; n < num; n++) {
        int at = (n * rows + kernelDim) * spatial;
        for (int i = 0; i < spatial; i++) {
          c.put(at + i, 1f);
        }
      }
    }
    this.weights = Nd4j.create(DataType.FLOAT, num, numOutput, rows);
    grads = Nd4j.create(DataType.FLOAT, num, numOutput, rows);
    weightRows = new float[numOutput * rows];
    gradSums = new float[num * numOutput * rows];
    imageScratch = new float[Parallel.workers()][channels * height * width];
    colScratch = new float[Parallel.workers()][kernelDim * spatial];
    parts = new BatchParts(num);
    topParts = new BatchParts(num, num, numOutput, spatial);
  }

  @Override
  public void forward(Blob bottom, Blob top) {
    toColumns(bottom.data());
    columnsOf = bottom.data();
    loadWeights();
    matmul(parts.of(weights), parts.of(cols), topParts.of(top.data()));
  }

  @Override
  public void backward(Blob top, Blob bottom, Wanted wanted) {
    INDArray[] topDiff = topParts.of(top.diff());
    if (wanted.weights() || wanted.bias()) {
      if (columnsOf != bottom.data()) {
        toColumns(bottom.data());
      }
      accumulateParamGradients(topDiff, wanted);
    }
    columnsOf = null;
    if (wanted.bottom()) {
      if (colGrads == null) {
        colGrads = Nd4j.create(DataType.FLOAT, num, rows, outH * outW);
      }
      loadWeights();
      matmul(parts.of(weights), topDiff, parts.of(colGrads), 1, 0);
      fromColumns(bottom.diff());
    }
  }

  /** im2col of every image of {@code bottom} ([num, channels, height, width]) into the columns. */
  private void toColumns(INDArray bottom) {
    eachImage(bottom, cols, true);
  }

  /** col2im of every image's column gradients into {@code bottomDiff}, which is overwritten. */
  private void fromColumns(INDArray bottomDiff) {
    eachImage(bottomDiff, colGrads, false);
  }

  /** Copies each image and its columns to a worker's scratch, walks them, copies the result back. */
  private void eachImage(INDArray images, INDArray columns, boolean toColumns) {
    FloatBuffer im = images.data().asNioFloat();
    FloatBuffer co = columns.data().asNioFloat();
    int imageSize = channels * height * width;
    int colSize = kernelDim * outH * outW;
    int colStride = rows * outH * outW;
    Parallel.forRange(num, (worker, from, to) -> {
      float[] image = imageScratch[worker];
      float[] col = colScratch[worker];
      for (int n = from; n < to; n++) {
        if (toColumns) {
          im.get(n * imageSize, image, 0, imageSize);
          walkColumns(image, col, true);
          co.put(n * colStride, col, 0, colSize);
        } else {
          co.get(n * colStride, col, 0, colSize);
          Arrays.fill(image, 0f);
          walkColumns(image, col, false);
          im.put(n * imageSize, image, 0, imageSize);
        }
      }
    });
  }

  /**
   * Caffe's im2col of one image on heap arrays ({@code toColumns}), or its transpose col2im, which
   * adds each column entry to the image position it was read from.
   */
  private void walkColumns(float[] image, float[] col, boolean toColumns) {
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
            boolean inside = row >= 0 && row < height;
            int src = plane + row * width + x0;
            if (!toColumns) {
              if (inside) {
                for (int x = xs; x < xe; x++) {
                  image[src + x * stride[1]] += col[c + x];
                }
              }
              continue;
            }
            if (!inside) {
              Arrays.fill(col, c, c + outW, 0f);
              continue;
            }
            Arrays.fill(col, c, c + xs, 0f);
            Arrays.fill(col, c + xe, c + outW, 0f);
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

  /** out = a x b (each transposed as the flags say), one batched matmul op per part, on the cores. */
  private static void matmul(INDArray[] a, INDArray[] b, INDArray[] out, int... transposes) {
    Parallel.forRange(a.length, (worker, from, to) -> {
      for (int p = from; p < to; p++) {
        DynamicCustomOp.DynamicCustomOpsBuilder op = DynamicCustomOp.builder("matmul")
            .addInputs(a[p], b[p]).addOutputs(out[p]);
        if (transposes.length > 0) {
          op.addIntegerArguments(transposes);
        }
        Nd4j.exec(op.build());
      }
    });
  }

  /** Repeats the weights (and bias column) once per image for the batched matmul. */
  private void loadWeights() {
    FloatBuffer wb = weightBlob.data().data().asNioFloat();
    for (int o = 0; o < numOutput; o++) {
      wb.get(o * kernelDim, weightRows, o * rows, kernelDim);
      if (biasBlob != null) {
        weightRows[o * rows + kernelDim] = biasBlob.data().getFloat(o);
      }
    }
    FloatBuffer dst = weights.data().asNioFloat();
    for (int n = 0; n < num; n++) {
      dst.put(n * weightRows.length, weightRows);
    }
  }

  /** Adds the wanted param gradients for {@code topDiff}, from the current columns. */
  private void accumulateParamGradients(INDArray[] topDiff, Wanted wanted) {
    matmul(topDiff, parts.of(cols), parts.of(grads), 0, 1);
    grads.data().asNioFloat().get(0, gradSums);
    var weightDiff = wanted.weights() ? weightBlob.diffView() : null;
    var biasDiff = wanted.bias() ? biasBlob.diffView() : null;
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
