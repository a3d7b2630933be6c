package org.kaffee.layers.common;

import java.util.List;
import org.kaffee.core.Blob;
import org.kaffee.core.DataView;
import org.kaffee.core.Layer;
import org.kaffee.proto.Caffe.LayerParameter;

/**
 * Caffe's Softmax over {@code axis}: {@code y = exp(x - max) / sum exp(x - max)} for every
 * position of the other axes; backward {@code dx = (dy - sum(dy * y)) * y}.
 */
public final class SoftmaxLayer extends Layer {
  private int outer;
  private int channels;
  private int inner;
  private double[] scratch = new double[0];

  public SoftmaxLayer(LayerParameter param) {
    super(param);
  }

  @Override
  public String type() {
    return "Softmax";
  }

  @Override
  public int exactNumBottomBlobs() {
    return 1;
  }

  @Override
  public int exactNumTopBlobs() {
    return 1;
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
  }

  @Override
  public void forward(List<Blob> bottom, List<Blob> top) {
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

  @Override
  public void backward(List<Blob> top, boolean[] propagateDown, List<Blob> bottom) {
    if (!propagateDown[0]) {
      return;
    }
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
