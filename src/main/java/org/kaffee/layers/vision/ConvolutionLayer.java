package org.kaffee.layers.vision;

import java.util.List;
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
  public void forward(List<Blob> bottom, List<Blob> top) {
    for (int i = 0; i < bottom.size(); i++) {
      Blob b = bottom.get(i);
      Blob t = top.get(i);
      if (fastPath()) {
        fastForward(false, b, t);
        continue;
      }
      INDArray inFlat = b.data().reshape(-1);
      INDArray outFlat = t.data().reshape(-1);
      DataView inView = b.dataView();
      for (int n = 0; n < num; n++) {
        forwardGemm(inFlat, inView, n, outFlat);
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
        fastBackward(false, t, propagateDown[i], b);
        continue;
      }
      if (biasTerm && paramPropagateDown(1)) {
        backwardBias(t);
      }
      if (!paramPropagateDown(0) && !propagateDown[i]) {
        continue;
      }
      INDArray inFlat = b.data().reshape(-1);
      INDArray topDiff = t.diff().reshape(-1);
      INDArray inDiff = b.diff().reshape(-1);
      DataView inView = b.dataView();
      DataView inDiffView = b.diffView();
      for (int n = 0; n < num; n++) {
        if (paramPropagateDown(0)) {
          weightGemm(inFlat, inView, n, topDiff);
        }
        if (propagateDown[i]) {
          backwardGemm(topDiff, n, inDiff, inDiffView);
        }
      }
    }
  }
}
