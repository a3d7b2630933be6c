package org.kaffee.layers.neuron;

import java.util.List;
import org.kaffee.core.Blob;
import org.kaffee.core.DataView;
import org.kaffee.core.Filler;
import org.kaffee.proto.Caffe.FillerParameter;
import org.kaffee.proto.Caffe.LayerParameter;
import org.kaffee.proto.Caffe.PReLUParameter;
import org.nd4j.linalg.api.ndarray.INDArray;

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

  private int dim;
  private int channels;

  @Override
  public void forward(List<Blob> bottom, List<Blob> top) {
    Blob b = bottom.get(0);
    channels = b.shape(1);
    dim = b.count(2);
    super.forward(bottom, top);
  }

  /** The slope index of flat element i: its channel, or 0 when shared. */
  private int channel(int i) {
    return channelShared ? 0 : (i / dim) % channels;
  }

  @Override
  protected void forwardValues(INDArray x, INDArray y) {
    // A per-channel loop, as in Caffe (ND4J's broadcast along axis 1 costs more than it saves).
    DataView xv = DataView.of(x, (int) x.length());
    DataView yv = DataView.of(y, (int) y.length());
    DataView slope = blobs.get(0).dataView();
    int n = xv.length();
    for (int i = 0; i < n; i++) {
      double v = xv.get(i);
      yv.set(i, v > 0 ? v : slope.get(channel(i)) * v);
    }
  }

  @Override
  public void backward(List<Blob> top, boolean[] propagateDown, List<Blob> bottom) {
    Blob t = top.get(0);
    Blob b = bottom.get(0);
    if (t.count() == 0) {
      return;
    }
    channels = b.shape(1);
    dim = b.count(2);
    INDArray xa = bottomData(b, t);
    DataView x = DataView.of(xa, (int) xa.length());
    DataView dy = t.diffView();
    Blob slope = blobs.get(0);
    int n = t.count();
    // The slope gradient first: in place, writing the bottom diff overwrites dy.
    if (paramPropagateDown(0)) {
      DataView g = slope.diffView();
      for (int i = 0; i < n; i++) {
        double v = x.get(i);
        if (v <= 0) {
          g.add(channel(i), dy.get(i) * v);
        }
      }
    }
    if (propagateDown[0]) {
      DataView a = slope.dataView();
      DataView dx = b.diffView();
      for (int i = 0; i < n; i++) {
        dx.set(i, x.get(i) > 0 ? dy.get(i) : dy.get(i) * a.get(channel(i)));
      }
    }
  }

  @Override
  protected void backwardValues(INDArray x, INDArray y, INDArray dy, INDArray dx) {
    throw new UnsupportedOperationException("PReLU overrides backward");
  }
}
