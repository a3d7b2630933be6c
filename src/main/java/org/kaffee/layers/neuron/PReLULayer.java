package org.kaffee.layers.neuron;

import java.util.List;
import org.kaffee.core.Blob;
import org.kaffee.core.Filler;
import org.kaffee.proto.Caffe.FillerParameter;
import org.kaffee.proto.Caffe.LayerParameter;
import org.kaffee.proto.Caffe.PReLUParameter;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarMax;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarMin;
import org.nd4j.linalg.api.ops.impl.scalar.Step;
import org.nd4j.linalg.api.ops.impl.transforms.same.OneMinus;
import org.nd4j.linalg.factory.Nd4j;

/**
 * y = max(x, 0) + a_c * min(x, 0) with a learnable slope a per channel (axis 1), or one
 * slope for all channels (channel_shared). The slope starts at 0.25 unless a filler is
 * given; its gradient accumulates sum(dy * min(x, 0)) over the other axes.
 */
public final class PReLULayer extends NeuronLayer {
  private final boolean channelShared;

  public PReLULayer(LayerParameter param) {
    super(param);
    channelShared = param.getPreluParam().getChannelShared();
  }

  @Override
  public String type() {
    return "PReLU";
  }

  @Override
  protected boolean backwardReadsBottom() {
    return true;
  }

  @Override
  protected int scratchBuffers() {
    return 2;
  }

  @Override
  protected void layerSetUp(List<Blob> bottom, List<Blob> top) {
    Blob b = bottom.get(0);
    check(b.numAxes() >= 2, "the bottom needs at least 2 axes, got shape %s", b.shapeString());
    int channels = b.shape(1);
    if (blobs.isEmpty()) {
      Blob slope = channelShared ? newBlob() : newBlob(channels);
      PReLUParameter p = param.getPreluParam();
      FillerParameter filler = p.hasFiller() ? p.getFiller()
          : FillerParameter.newBuilder().setType("constant").setValue(0.25f).build();
      Filler.fill(filler, slope);
      blobs.add(slope);
    }
    check(blobs.get(0).count() == (channelShared ? 1 : channels),
        "the slope blob holds %d values, expected %d (channel_shared: %s)",
        blobs.get(0).count(), channelShared ? 1 : channels, channelShared);
    setParamPropagateDown(0, true);
  }

  @Override
  public void reshape(List<Blob> bottom, List<Blob> top) {
    check(bottom.get(0).numAxes() >= 2, "the bottom needs at least 2 axes, got shape %s",
        bottom.get(0).shapeString());
    super.reshape(bottom, top);
  }

  /** a viewed as [N, C, rest] so the slope broadcasts along axis 1. */
  private static INDArray byChannel(INDArray a) {
    long n = a.size(0);
    long c = a.size(1);
    return a.reshape('c', n, c, a.length() / Math.max(n * c, 1));
  }

  /** a *= slope, per channel (or by the one shared slope). */
  private void mulSlope(INDArray a, INDArray slope) {
    if (channelShared) {
      a.muli(blobs.get(0).dataView().get(0));
    } else {
      INDArray a3 = byChannel(a);
      Nd4j.exec(new BroadcastMulOp(a3, slope, a3, 1));
    }
  }

  @Override
  protected void forwardValues(INDArray x, INDArray y) {
    INDArray neg = scratch(0);
    Nd4j.exec(new ScalarMin(x, null, neg, 0.0));
    mulSlope(neg, blobs.get(0).data());
    Nd4j.exec(new ScalarMax(x, null, y, 0.0));
    y.addi(neg);
  }

  @Override
  public void backward(List<Blob> top, boolean[] propagateDown, List<Blob> bottom) {
    Blob t = top.get(0);
    if (t.count() == 0) {
      return;
    }
    INDArray x = bottomData(bottom.get(0), t);
    INDArray dy = t.diff();
    Blob slope = blobs.get(0);
    // The slope gradient first: in place, writing the bottom diff overwrites dy.
    if (paramPropagateDown(0)) {
      INDArray g = scratch(0);
      Nd4j.exec(new ScalarMin(x, null, g, 0.0));
      g.muli(dy);
      if (channelShared) {
        slope.diffView().add(0, g.sumNumber().doubleValue());
      } else {
        slope.diff().addi(byChannel(g).sum(0, 2));
      }
    }
    if (propagateDown[0]) {
      backwardValues(x, t.data(), dy, bottom.get(0).diff());
    }
  }

  @Override
  protected void backwardValues(INDArray x, INDArray y, INDArray dy, INDArray dx) {
    // factor = (x > 0) + a_c * (x <= 0)
    INDArray pos = scratch(0);
    INDArray factor = scratch(1);
    Nd4j.exec(new Step(x, pos, 0.0));
    Nd4j.exec(new OneMinus(pos, factor));
    mulSlope(factor, blobs.get(0).data());
    factor.addi(pos);
    dy.muli(factor, dx);
  }
}
