package org.kaffee.kernels;

import java.util.Arrays;

/**
 * What a convolution engine needs to know of a Convolution or Deconvolution layer for the
 * current bottom shape. The "conv input" is the bottom of a convolution and the top of a
 * deconvolution ({@code transposed}); the weights are {@code [convOut, convIn / group, kernel...]}.
 * Blobs are {@code [num..., channels, spatial...]}, the channels at {@code channelAxis}.
 */
public record ConvolutionShape(boolean transposed, int channelAxis, int num, int channels, int numOutput,
    int group, int[] kernel, int[] stride, int[] pad, int[] dilation, int[] inSpatial, int[] outSpatial,
    boolean bias) {

  public int numSpatial() {
    return kernel.length;
  }

  /** Channels of the conv input. */
  public int convIn() {
    return transposed ? numOutput : channels;
  }

  /** Channels of the conv output. */
  public int convOut() {
    return transposed ? channels : numOutput;
  }

  /** Rows of one group's column matrix: input channels per group times the kernel size. */
  public int kernelDim() {
    return convIn() / group * product(kernel);
  }

  public int inSpatialSize() {
    return product(inSpatial);
  }

  public int outSpatialSize() {
    return product(outSpatial);
  }

  /** A 1x1 kernel with stride 1 and no padding: the conv input is its own column matrix. */
  public boolean is1x1() {
    for (int i = 0; i < numSpatial(); i++) {
      if (kernel[i] != 1 || stride[i] != 1 || pad[i] != 0) {
        return false;
      }
    }
    return true;
  }

  /** 2-D, {@code [num, channels, h, w]} blobs, no dilation: the layouts ND4J's whole-batch ops take. */
  public boolean isPlainNchw2d() {
    return numSpatial() == 2 && channelAxis == 1 && dilation[0] == 1 && dilation[1] == 1;
  }

  private static int product(int[] values) {
    int p = 1;
    for (int v : values) {
      p *= v;
    }
    return p;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ConvolutionShape s && transposed == s.transposed && channelAxis == s.channelAxis
        && num == s.num && channels == s.channels && numOutput == s.numOutput && group == s.group
        && bias == s.bias && Arrays.equals(kernel, s.kernel) && Arrays.equals(stride, s.stride)
        && Arrays.equals(pad, s.pad) && Arrays.equals(dilation, s.dilation)
        && Arrays.equals(inSpatial, s.inSpatial) && Arrays.equals(outSpatial, s.outSpatial);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(new int[] {num, channels, numOutput, group, Arrays.hashCode(inSpatial)});
  }

  @Override
  public String toString() {
    return (transposed ? "deconv " : "conv ") + num + "x" + channels + "x" + Arrays.toString(inSpatial)
        + " -> " + numOutput + " kernel " + Arrays.toString(kernel) + " group " + group;
  }
}
