package org.kaffee.layers.common;

import java.util.List;
import org.kaffee.core.Blob;
import org.kaffee.core.Filler;
import org.kaffee.proto.Caffe.FillerParameter;
import org.kaffee.proto.Caffe.LayerParameter;
import org.kaffee.proto.Caffe.ScaleParameter;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Caffe's Scale: {@code top = bottom * s (+ b)}, with s broadcast over the bottom's axes
 * {@code [axis, axis + shape(s))}. s is the second bottom or a learned param (filled with 1
 * unless a filler is given); with {@code bias_term} a learned bias follows it in the params.
 */
public final class ScaleLayer extends BroadcastOperandLayer {
  /** Index of the learned bias in the params; -1 without bias_term. */
  private int biasIndex = -1;
  /** A copy of the input, for the scale gradient when the layer runs in place. */
  private Blob saved;
  private final ChannelOps.View bottomData = new ChannelOps.View();
  private final ChannelOps.View bottomDiff = new ChannelOps.View();
  private final ChannelOps.View topData = new ChannelOps.View();
  private final ChannelOps.View topDiff = new ChannelOps.View();
  private final ChannelOps.View savedData = new ChannelOps.View();
  private final ChannelOps.View scaleData = new ChannelOps.View();
  private final ChannelOps.View scaleDiff = new ChannelOps.View();
  private final ChannelOps.View biasData = new ChannelOps.View();
  private final ChannelOps.View biasDiff = new ChannelOps.View();

  public ScaleLayer(LayerParameter param) {
    super(param);
  }

  @Override
  public String type() {
    return "Scale";
  }

  @Override
  protected int axisParam() {
    return param.getScaleParam().getAxis();
  }

  @Override
  protected void layerSetUp(List<Blob> bottom, List<Blob> top) {
    ScaleParameter p = param.getScaleParam();
    if (bottom.size() == 1 && blobs.isEmpty()) {
      Blob s = newBlob(paramShape(this, bottom.get(0), p.getAxis(), p.getNumAxes()));
      FillerParameter f = p.hasFiller() ? p.getFiller()
          : FillerParameter.newBuilder().setType("constant").setValue(1).build();
      Filler.fill(f, s);
      blobs.add(s);
    }
    if (p.getBiasTerm()) {
      biasIndex = blobs.size();
      // The bias has the scale's shape: the second bottom's, or the learned one's.
      Blob shapeOf = bottom.size() > 1 ? bottom.get(1) : blobs.get(0);
      Blob bias = newBlob(shapeOf.shape());
      Filler.fill(p.getBiasFiller(), bias);
      blobs.add(bias);
    }
    for (int i = 0; i < blobs.size(); i++) {
      setParamPropagateDown(i, true);
    }
  }

  @Override
  public void reshape(List<Blob> bottom, List<Blob> top) {
    reshapeBroadcast(bottom);
    if (bottom.get(0) == top.get(0)) {
      if (saved == null) {
        saved = newBlob();
      }
      saved.reshapeLike(bottom.get(0));
    } else {
      top.get(0).reshapeLike(bottom.get(0));
    }
  }

  @Override
  public void forward(List<Blob> bottom, List<Blob> top) {
    Blob x = bottom.get(0);
    if (x.count() == 0) {
      return;
    }
    if (x == top.get(0)) {
      // The input is needed for the scale's gradient; keep it before overwriting.
      saved.data().assign(x.data());
    }
    Blob s = operand(bottom);
    INDArray y = topData.of(top.get(0).data(), outer, dim, inner);
    ChannelOps.mul(bottomData.of(x.data(), outer, dim, inner), scaleData.of(s.data(), dim), y);
    if (biasIndex >= 0) {
      ChannelOps.add(y, biasData.of(blobs.get(biasIndex).data(), dim), y);
    }
  }

  @Override
  public void backward(List<Blob> top, boolean[] propagateDown, List<Blob> bottom) {
    if (bottom.get(0).count() == 0) {
      return;
    }
    INDArray dy = topDiff.of(top.get(0).diff(), outer, dim, inner);
    if (biasIndex >= 0 && paramPropagateDown(biasIndex)) {
      ChannelOps.sumOuterInner(dy, sums);
      biasDiff.of(blobs.get(biasIndex).diff(), dim).addi(sums);
    }
    boolean learned = operandIsLearned(bottom);
    Blob s = operand(bottom);
    boolean inPlace = bottom.get(0) == top.get(0);
    if (learned ? paramPropagateDown(0) : propagateDown[1]) {
      // As Caffe: the product dy * x goes into the saved input (in place) or the bottom diff,
      // both free until the bottom gradient is written below.
      INDArray x = inPlace ? savedData.of(saved.data(), outer, dim, inner)
          : bottomData.of(bottom.get(0).data(), outer, dim, inner);
      INDArray product = inPlace ? x : bottomDiff.of(bottom.get(0).diff(), outer, dim, inner);
      x.mul(dy, product);
      ChannelOps.sumOuterInner(product, sums);
      storeOperandGradient(scaleDiff.of(s.diff(), dim), learned);
    }
    if (propagateDown[0]) {
      ChannelOps.mul(dy, scaleData.of(s.data(), dim),
          bottomDiff.of(bottom.get(0).diff(), outer, dim, inner));
    }
  }
}
