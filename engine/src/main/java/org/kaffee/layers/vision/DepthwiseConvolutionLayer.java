package org.kaffee.layers.vision;

import org.kaffee.proto.Caffe.ConvolutionParameter;
import org.kaffee.proto.Caffe.LayerParameter;

/**
 * The forks' depthwise convolution, registered as {@code DepthwiseConvolution}
 * (yonghenglh6/DepthwiseConvolution, MobileNet-SSD) and {@code ConvolutionDepthwise}
 * (farmingyard's MobileNet and ShuffleNet): a Convolution whose groups are the input channels,
 * whether or not the prototxt says {@code group}, with {@code convolution_param} and the weights
 * {@code [num_output, 1, kh, kw]} of a BVLC Convolution. It runs on the same depthwise kernel a
 * BVLC Convolution with group == channels uses.
 */
public final class DepthwiseConvolutionLayer extends ConvolutionLayer {
  public DepthwiseConvolutionLayer(LayerParameter param) {
    super(param);
  }

  @Override
  public String type() {
    return param.getType();
  }

  @Override
  protected int group(ConvolutionParameter p, int channels) {
    check(!p.hasGroup() || p.getGroup() == channels,
        "group %d must be the number of input channels %d (or left out)", p.getGroup(), channels);
    return channels;
  }
}
