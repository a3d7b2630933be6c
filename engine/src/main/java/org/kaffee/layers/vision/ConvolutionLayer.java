package org.kaffee.layers.vision;

import org.kaffee.proto.Caffe.LayerParameter;

/**
 * Caffe's Convolution: {@code top = W * bottom + b} over sliding windows, with pad, stride,
 * dilation per spatial axis and channel groups. Output size per axis is
 * {@code (in + 2 pad - (dilation (kernel - 1) + 1)) / stride + 1} (floor).
 */
public class ConvolutionLayer extends BaseConvolutionLayer {
  public ConvolutionLayer(LayerParameter param) {
    super(param);
  }

  @Override
  public String type() {
    return "Convolution";
  }

  @Override
  protected boolean reverseDimensions() {
    return false;
  }

  @Override
  protected int[] computeOutputShape(int[] in) {
    int[] out = new int[numSpatial];
    for (int i = 0; i < numSpatial; i++) {
      int extent = dilation[i] * (kernel[i] - 1) + 1;
      out[i] = (in[i] + 2 * pad[i] - extent) / stride[i] + 1;
      if (in[i] + 2 * pad[i] < extent) {
        out[i] = 0;
      }
    }
    return out;
  }
}
