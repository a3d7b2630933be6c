package org.kaffee.layers.vision;

import org.kaffee.core.Blob;
import org.kaffee.core.DataView;
import org.kaffee.proto.Caffe.LayerParameter;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Caffe's Convolution: {@code top = W * bottom + b} over sliding windows, with pad, stride,
 * dilation per spatial axis and channel groups. Output size per axis is
 * {@code (in + 2 pad - (dilation (kernel - 1) + 1)) / stride + 1} (floor).
 */
public final class ConvolutionLayer extends BaseConvolutionLayer {
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

  @Override
  protected void gemmForward(Blob bottom, Blob top) {
    INDArray inFlat = bottom.data().reshape(-1);
    INDArray outFlat = top.data().reshape(-1);
    DataView inView = bottom.dataView();
    for (int n = 0; n < num; n++) {
      forwardGemm(inFlat, inView, n, outFlat);
    }
  }

  @Override
  protected void gemmBackward(Blob top, boolean weightGrad, boolean bottomGrad, Blob bottom) {
    INDArray inFlat = bottom.data().reshape(-1);
    INDArray topDiff = top.diff().reshape(-1);
    INDArray inDiff = bottom.diff().reshape(-1);
    DataView inView = bottom.dataView();
    DataView inDiffView = bottom.diffView();
    for (int n = 0; n < num; n++) {
      if (weightGrad) {
        weightGemm(inFlat, inView, n, topDiff);
      }
      if (bottomGrad) {
        backwardGemm(topDiff, n, inDiff, inDiffView);
      }
    }
  }
}
