package org.kaffee.layers.vision;

import java.util.List;
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

  @Override
  public void forward(List<Blob> bottom, List<Blob> top) {
    for (int i = 0; i < bottom.size(); i++) {
      Blob b = bottom.get(i);
      Blob t = top.get(i);
      if (fastPath()) {
        fastForward(true, b, t);
        continue;
      }
      INDArray inFlat = b.data().reshape(-1);
      INDArray outFlat = t.data().reshape(-1);
      DataView outView = t.dataView();
      for (int n = 0; n < num; n++) {
        backwardGemm(inFlat, n, outFlat, outView);
      }
      if (biasTerm) {
        addBias(t);
      }
    }
  }

  @Override
  public void backward(List<Blob> top, boolean[] propagateDown, List<Blob> bottom) {
    for (int i = 0; i < top.size(); i++) {
      Blob b = bottom.get(i);
      Blob t = top.get(i);
      if (fastPath()) {
        fastBackward(true, t, propagateDown[i], b);
        continue;
      }
      if (biasTerm && paramPropagateDown(1)) {
        backwardBias(t);
      }
      if (!paramPropagateDown(0) && !propagateDown[i]) {
        continue;
      }
      INDArray topDiff = t.diff().reshape(-1);
      DataView topDiffView = t.diffView();
      INDArray bottomData = b.data().reshape(-1);
      INDArray bottomDiff = b.diff().reshape(-1);
      for (int n = 0; n < num; n++) {
        if (paramPropagateDown(0)) {
          weightGemm(topDiff, topDiffView, n, bottomData);
        }
        if (propagateDown[i]) {
          forwardGemm(topDiff, topDiffView, n, bottomDiff);
        }
      }
    }
  }
}
