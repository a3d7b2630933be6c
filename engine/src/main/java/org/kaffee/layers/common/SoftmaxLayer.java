package org.kaffee.layers.common;

import java.util.List;
import org.kaffee.core.Blob;
import org.kaffee.core.BlobCounts;
import org.kaffee.core.DataView;
import org.kaffee.core.Layer;
import org.kaffee.proto.Caffe.LayerParameter;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastDivOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastSubOp;
import org.nd4j.linalg.api.ops.impl.reduce.same.Max;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Caffe's Softmax over {@code axis}: {@code y = exp(x - max) / sum exp(x - max)} for every
 * position of the other axes; backward {@code dx = (dy - sum(dy * y)) * y}.
 */
public final class SoftmaxLayer extends Layer {
  private int outer;
  private int channels;
  private int inner;
  /** Below this many values a plain loop beats the native ops' call overhead. */
  private static final int NATIVE_MIN = 1 << 14;
  private INDArray scale;
  private double[] scratch = new double[0];
  private INDArray temp;
  private final ChannelOps.View bottomData = new ChannelOps.View();
  private final ChannelOps.View topData = new ChannelOps.View();
  private final ChannelOps.View topDiff = new ChannelOps.View();
  private final ChannelOps.View bottomDiff = new ChannelOps.View();
  private final ChannelOps.View tempData = new ChannelOps.View();

  public SoftmaxLayer(LayerParameter param) {
    super(param, BlobCounts.of(1, 1));
  }

  @Override
  public String type() {
    return "Softmax";
  }

  @Override
  public void reshape(List<Blob> bottom, List<Blob> top) {
    Blob b = bottom.get(0);
    int axis = b.canonicalAxisIndex(param.getSoftmaxParam().getAxis());
    top.get(0).reshapeLike(b);
    outer = b.count(0, axis);
    channels = b.shape(axis);
    inner = b.count(axis + 1);
    if (scratch.length < inner) {
      scratch = new double[inner];
    }
    DataType type = b.dataType();
    if (scale == null || scale.length() != (long) outer * inner || scale.dataType() != type) {
      scale = Nd4j.create(type, outer, inner);
    }
    if (temp == null || temp.length() != b.count() || temp.dataType() != type) {
      temp = Nd4j.create(type, Math.max(b.count(), 1));
    }
  }

  @Override
  public void forward(List<Blob> bottom, List<Blob> top) {
    if (bottom.get(0).count() == 0) {
      return;
    }
    if (bottom.get(0).count() < NATIVE_MIN) {
      forwardLoop(bottom, top);
      return;
    }
    INDArray x = bottomData.of(bottom.get(0).data(), outer, channels, inner);
    INDArray y = topData.of(top.get(0).data(), outer, channels, inner);
    Nd4j.getExecutioner().exec(new Max(x, scale, 1));
    Nd4j.getExecutioner().exec(new BroadcastSubOp(x, scale, y, 0, 2));
    Transforms.exp(y, false);
    y.sum(scale, 1);
    Nd4j.getExecutioner().exec(new BroadcastDivOp(y, scale, y, 0, 2));
  }

  @Override
  public void backward(List<Blob> top, boolean[] propagateDown, List<Blob> bottom) {
    if (!propagateDown[0] || bottom.get(0).count() == 0) {
      return;
    }
    if (bottom.get(0).count() < NATIVE_MIN) {
      backwardLoop(top, bottom);
      return;
    }
    INDArray y = topData.of(top.get(0).data(), outer, channels, inner);
    INDArray dy = topDiff.of(top.get(0).diff(), outer, channels, inner);
    INDArray dx = bottomDiff.of(bottom.get(0).diff(), outer, channels, inner);
    INDArray t = tempData.of(temp, outer, channels, inner);
    dy.mul(y, t);
    t.sum(scale, 1);
    Nd4j.getExecutioner().exec(new BroadcastSubOp(dy, scale, dx, 0, 2));
    dx.muli(y);
  }

  private void forwardLoop(List<Blob> bottom, List<Blob> top) {
    DataView x = bottom.get(0).dataView();
    DataView y = top.get(0).dataView();
    double[] acc = scratch;
    for (int o = 0; o < outer; o++) {
      int base = o * channels * inner;
      for (int i = 0; i < inner; i++) {
        acc[i] = x.get(base + i);
      }
      for (int c = 1; c < channels; c++) {
        int off = base + c * inner;
        for (int i = 0; i < inner; i++) {
          acc[i] = Math.max(acc[i], x.get(off + i));
        }
      }
      for (int c = 0; c < channels; c++) {
        int off = base + c * inner;
        for (int i = 0; i < inner; i++) {
          y.set(off + i, Math.exp(x.get(off + i) - acc[i]));
        }
      }
      java.util.Arrays.fill(acc, 0, inner, 0);
      for (int c = 0; c < channels; c++) {
        int off = base + c * inner;
        for (int i = 0; i < inner; i++) {
          acc[i] += y.get(off + i);
        }
      }
      for (int c = 0; c < channels; c++) {
        int off = base + c * inner;
        for (int i = 0; i < inner; i++) {
          y.set(off + i, y.get(off + i) / acc[i]);
        }
      }
    }
  }

  private void backwardLoop(List<Blob> top, List<Blob> bottom) {
    DataView y = top.get(0).dataView();
    DataView dy = top.get(0).diffView();
    DataView dx = bottom.get(0).diffView();
    double[] acc = scratch;
    for (int o = 0; o < outer; o++) {
      int base = o * channels * inner;
      java.util.Arrays.fill(acc, 0, inner, 0);
      for (int c = 0; c < channels; c++) {
        int off = base + c * inner;
        for (int i = 0; i < inner; i++) {
          acc[i] += dy.get(off + i) * y.get(off + i);
        }
      }
      for (int c = 0; c < channels; c++) {
        int off = base + c * inner;
        for (int i = 0; i < inner; i++) {
          dx.set(off + i, (dy.get(off + i) - acc[i]) * y.get(off + i));
        }
      }
    }
  }
}
