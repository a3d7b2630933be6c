package org.kaffee.layers.vision;

import org.kaffee.core.Blob;
import org.kaffee.core.DataView;
import org.kaffee.proto.Caffe.LayerParameter;
import org.nd4j.linalg.api.ndarray.INDArray;

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

  /** The bottom is the conv output here, so forward is the conv's data-gradient gemm. */
  @Override
  protected void gemmForward(Blob bottom, Blob top) {
    INDArray inFlat = bottom.data().reshape(-1);
    INDArray outFlat = top.data().reshape(-1);
    DataView outView = top.dataView();
    for (int n = 0; n < num; n++) {
      backwardGemm(inFlat, n, outFlat, outView);
    }
  }

  @Override
  protected void gemmBackward(Blob top, boolean weightGrad, boolean bottomGrad, Blob bottom) {
    INDArray topDiff = top.diff().reshape(-1);
    DataView topDiffView = top.diffView();
    INDArray bottomData = bottom.data().reshape(-1);
    INDArray bottomDiff = bottom.diff().reshape(-1);
    for (int n = 0; n < num; n++) {
      if (weightGrad) {
        weightGemm(topDiff, topDiffView, n, bottomData);
      }
      if (bottomGrad) {
        forwardGemm(topDiff, topDiffView, n, bottomDiff);
      }
    }
  }
}
