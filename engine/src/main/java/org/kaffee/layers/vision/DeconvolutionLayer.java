package org.kaffee.layers.vision;

import org.kaffee.proto.Caffe.LayerParameter;

/**
 * Caffe's Deconvolution: the transpose (gradient) of a convolution. Weights are
 * {@code [channels, num_output / group, kernel...]}; output size per axis is
 * {@code stride (in - 1) + dilation (kernel - 1) + 1 - 2 pad}.
 */
public final class DeconvolutionLayer extends BaseConvolutionLayer {
  public DeconvolutionLayer(LayerParameter param) {
    super(param);
  }

  @Override
  public String type() {
    return "Deconvolution";
  }

  @Override
  protected boolean reverseDimensions() {
    return true;
  }

  @Override
  protected int[] computeOutputShape(int[] in) {
    int[] out = new int[numSpatial];
    for (int i = 0; i < numSpatial; i++) {
      int extent = dilation[i] * (kernel[i] - 1) + 1;
      out[i] = stride[i] * (in[i] - 1) + extent - 2 * pad[i];
    }
    return out;
  }

}
