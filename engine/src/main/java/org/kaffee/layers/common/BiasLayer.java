package org.kaffee.layers.common;

import java.util.List;
import org.kaffee.core.Blob;
import org.kaffee.core.Filler;
import org.kaffee.proto.Caffe.BiasParameter;
import org.kaffee.proto.Caffe.LayerParameter;

/**
 * Caffe's Bias: {@code top = bottom + b}, with b broadcast over the bottom's axes
 * {@code [axis, axis + shape(b))}. b is the second bottom, or a learned param of the bottom's
 * shape over {@code [axis, axis + num_axes)} ({@code num_axes: -1}: to the end).
 */
public final class BiasLayer extends BroadcastOperandLayer {
  private final ChannelOps.View bottomData = new ChannelOps.View();
  private final ChannelOps.View topData = new ChannelOps.View();
  private final ChannelOps.View topDiff = new ChannelOps.View();
  private final ChannelOps.View biasData = new ChannelOps.View();
  private final ChannelOps.View biasDiff = new ChannelOps.View();

  public BiasLayer(LayerParameter param) {
    super(param);
  }

  @Override
  public String type() {
    return "Bias";
  }

  @Override
  protected int axisParam() {
    return param.getBiasParam().getAxis();
  }

  @Override
  protected void layerSetUp(List<Blob> bottom, List<Blob> top) {
    if (bottom.size() == 1 && blobs.isEmpty()) {
      BiasParameter p = param.getBiasParam();
      blobs.add(newBlob(paramShape(this, bottom.get(0), p.getAxis(), p.getNumAxes())));
      Filler.fill(p.getFiller(), blobs.get(0));
    }
    for (int i = 0; i < blobs.size(); i++) {
      setParamPropagateDown(i, true);
    }
  }

  @Override
  public void reshape(List<Blob> bottom, List<Blob> top) {
    reshapeBroadcast(bottom);
    top.get(0).reshapeLike(bottom.get(0));
  }

  @Override
  public void forward(List<Blob> bottom, List<Blob> top) {
    if (bottom.get(0).count() == 0) {
      return;
    }
    ChannelOps.add(bottomData.of(bottom.get(0).data(), outer, dim, inner),
        biasData.of(operand(bottom).data(), dim), topData.of(top.get(0).data(), outer, dim, inner));
  }

  @Override
  public void backward(List<Blob> top, boolean[] propagateDown, List<Blob> bottom) {
    if (propagateDown[0] && bottom.get(0) != top.get(0)) {
      bottom.get(0).diff().assign(top.get(0).diff());
    }
    boolean learned = operandIsLearned(bottom);
    if (bottom.get(0).count() > 0 && (learned ? paramPropagateDown(0) : propagateDown[1])) {
      ChannelOps.sumOuterInner(topDiff.of(top.get(0).diff(), outer, dim, inner), sums);
      storeOperandGradient(biasDiff.of(operand(bottom).diff(), dim), learned);
    }
  }
}
