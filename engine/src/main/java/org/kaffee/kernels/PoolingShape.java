package org.kaffee.kernels;

/**
 * A 2-D pooling of {@code [num, channels, height, width]} blobs into {@code pooledH x pooledW}
 * outputs per plane: kernel, stride and pad per axis as Caffe's Pooling layer gives them.
 */
public record PoolingShape(int num, int channels, int height, int width, int kernelH, int kernelW,
    int strideH, int strideW, int padH, int padW, int pooledH, int pooledW) {

  /**
   * Caffe's pooled size along one axis: ceil (or floor) rounding, minus one when the last window
   * would start in the padding.
   */
  public static int outSize(int in, int pad, int kernel, int stride, boolean ceil) {
    int span = in + 2 * pad - kernel;
    int out = (ceil ? (int) Math.ceil((double) span / stride) : Math.floorDiv(span, stride)) + 1;
    if (pad > 0 && (out - 1) * stride >= in + pad) {
      out--;
    }
    return out;
  }

  int planes() {
    return num * channels;
  }
}
