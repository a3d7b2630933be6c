package org.kaffee.kernels;

import org.kaffee.core.Blob;
import org.kaffee.core.DataView;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastAddOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Caffe's own convolution: im2col of one image, then one gemm per group, image after image.
 * It serves every shape and precision (N-d, groups, dilation, float64 for gradient checks) and
 * is the reference the faster engines are tested against. A deconvolution runs the same gemms
 * with the roles of forward and data gradient swapped.
 */
final class GemmConvolution implements ConvolutionEngine {
  private final ConvolutionShape shape;
  private final Blob weights;
  private final Blob bias;
  private final int kernelDim;
  private final int inSize;
  private final int outSize;
  /** One image's column matrix, {@code [kernelDim * group, outSpatialSize]}; null for 1x1 kernels. */
  private final INDArray col;
  private final INDArray biasSum;

  GemmConvolution(ConvolutionShape shape, Blob weights, Blob bias) {
    this.shape = shape;
    this.weights = weights;
    this.bias = bias;
    kernelDim = shape.kernelDim();
    inSize = shape.convIn() * shape.inSpatialSize();
    outSize = shape.convOut() * shape.outSpatialSize();
    col = shape.is1x1() ? null : Nd4j.create(weights.dataType(), (long) kernelDim * shape.group(),
        shape.outSpatialSize());
    biasSum = bias == null ? null : Nd4j.create(weights.dataType(), shape.numOutput());
  }

  @Override
  public void forward(Blob bottom, Blob top) {
    INDArray in = bottom.data().reshape(-1);
    INDArray out = top.data().reshape(-1);
    for (int n = 0; n < shape.num(); n++) {
      if (shape.transposed()) {
        columnsToInput(in, n, out, top.dataView());
      } else {
        inputToOutput(in, bottom.dataView(), n, out);
      }
    }
    if (bias != null) {
      INDArray t = top.data().reshape('c', shape.num(), shape.numOutput(), top.count(shape.channelAxis() + 1));
      Nd4j.getExecutioner().exec(new BroadcastAddOp(t, bias.data(), t, 1));
    }
  }

  @Override
  public void backward(Blob top, Blob bottom, Wanted wanted) {
    if (wanted.bias()) {
      INDArray t = top.diff().reshape('c', shape.num(), shape.numOutput(), top.count(shape.channelAxis() + 1));
      t.sum(biasSum, 0, 2);
      bias.diff().addi(biasSum);
    }
    if (!wanted.weights() && !wanted.bottom()) {
      return;
    }
    INDArray topDiff = top.diff().reshape(-1);
    INDArray bottomData = bottom.data().reshape(-1);
    INDArray bottomDiff = bottom.diff().reshape(-1);
    for (int n = 0; n < shape.num(); n++) {
      if (shape.transposed()) {
        // The top diff is the conv input here, the bottom the conv output.
        if (wanted.weights()) {
          addWeightGradient(topDiff, top.diffView(), n, bottomData);
        }
        if (wanted.bottom()) {
          inputToOutput(topDiff, top.diffView(), n, bottomDiff);
        }
      } else {
        if (wanted.weights()) {
          addWeightGradient(bottomData, bottom.dataView(), n, topDiff);
        }
        if (wanted.bottom()) {
          columnsToInput(topDiff, n, bottomDiff, bottom.diffView());
        }
      }
    }
  }

  /** Rows [offset / cols, ...) of a {@code rows x cols} matrix view of {@code flat}. */
  private static INDArray matrix(INDArray flat, long offset, int rows, int cols) {
    return flat.get(NDArrayIndex.interval(offset, offset + (long) rows * cols)).reshape('c', rows, cols);
  }

  private INDArray groupRows(INDArray cols, int g) {
    return shape.group() == 1 ? cols
        : cols.get(NDArrayIndex.interval((long) g * kernelDim, (long) (g + 1) * kernelDim), NDArrayIndex.all());
  }

  private INDArray weightMatrix(INDArray flatWeights, int g) {
    int outPerGroup = shape.convOut() / shape.group();
    return matrix(flatWeights, (long) g * outPerGroup * kernelDim, outPerGroup, kernelDim);
  }

  private INDArray outputMatrix(INDArray flatOut, int n, int g) {
    int outPerGroup = shape.convOut() / shape.group();
    return matrix(flatOut, (long) n * outSize + (long) g * outPerGroup * shape.outSpatialSize(), outPerGroup,
        shape.outSpatialSize());
  }

  /** The column matrix of image {@code n} of a conv-input-shaped array. */
  private INDArray columns(INDArray inFlat, DataView inView, int n) {
    if (col == null) {
      return matrix(inFlat, (long) n * inSize, shape.convIn(), shape.inSpatialSize());
    }
    im2col(inView, n * inSize, DataView.of(col, (int) col.length()), true);
    return col;
  }

  private void im2col(DataView image, int imageOffset, DataView cols, boolean toColumns) {
    int c = shape.convIn();
    int[] k = shape.kernel();
    int[] p = shape.pad();
    int[] s = shape.stride();
    int[] d = shape.dilation();
    int[] in = shape.inSpatial();
    if (shape.numSpatial() != 2) {
      Im2col.nd(toColumns, image, imageOffset, c, in, shape.outSpatial(), k, p, s, d, cols, 0);
    } else if (toColumns) {
      Im2col.im2col2d(image, imageOffset, c, in[0], in[1], k[0], k[1], p[0], p[1], s[0], s[1], d[0], d[1], cols, 0);
    } else {
      Im2col.col2im2d(cols, 0, c, in[0], in[1], k[0], k[1], p[0], p[1], s[0], s[1], d[0], d[1], image, imageOffset);
    }
  }

  /** out[n] = W * col(in[n]) per group. */
  private void inputToOutput(INDArray inFlat, DataView inView, int n, INDArray outFlat) {
    INDArray cols = columns(inFlat, inView, n);
    INDArray w = weights.data().reshape(-1);
    for (int g = 0; g < shape.group(); g++) {
      Nd4j.gemm(weightMatrix(w, g), groupRows(cols, g), outputMatrix(outFlat, n, g), false, false, 1.0, 0.0);
    }
  }

  /** in[n] = col2im(W^T * out[n]) per group, overwriting in[n]. */
  private void columnsToInput(INDArray outFlat, int n, INDArray inFlat, DataView inView) {
    INDArray target = col == null ? matrix(inFlat, (long) n * inSize, shape.convIn(), shape.inSpatialSize()) : col;
    INDArray w = weights.data().reshape(-1);
    for (int g = 0; g < shape.group(); g++) {
      Nd4j.gemm(weightMatrix(w, g), outputMatrix(outFlat, n, g), groupRows(target, g), true, false, 1.0, 0.0);
    }
    if (col != null) {
      im2col(inView, n * inSize, DataView.of(col, (int) col.length()), false);
    }
  }

  /** W diff += out[n] * col(in[n])^T per group. */
  private void addWeightGradient(INDArray inFlat, DataView inView, int n, INDArray outFlat) {
    INDArray cols = columns(inFlat, inView, n);
    INDArray wDiff = weights.diff().reshape(-1);
    for (int g = 0; g < shape.group(); g++) {
      Nd4j.gemm(outputMatrix(outFlat, n, g), groupRows(cols, g), weightMatrix(wDiff, g), false, true, 1.0, 1.0);
    }
  }
}
