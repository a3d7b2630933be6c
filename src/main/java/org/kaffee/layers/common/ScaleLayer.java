package org.kaffee.layers.common;

import java.util.List;
import org.kaffee.core.Blob;
import org.kaffee.core.DataView;
import org.kaffee.core.Filler;
import org.kaffee.core.Layer;
import org.kaffee.proto.Caffe.FillerParameter;
import org.kaffee.proto.Caffe.LayerParameter;
import org.kaffee.proto.Caffe.ScaleParameter;

/**
 * Caffe's Scale: {@code top = bottom * s (+ b)}, with s broadcast over the bottom's axes
 * {@code [axis, axis + shape(s))}. s is the second bottom or a learned param (filled with 1
 * unless a filler is given); with {@code bias_term} a learned bias follows it in the params.
 */
public final class ScaleLayer extends Layer {
  private int outer;
  private int dim;
  private int inner;
  private int biasIndex = -1;
  private Blob saved;

  public ScaleLayer(LayerParameter param) {
    super(param);
  }

  @Override
  public String type() {
    return "Scale";
  }

  @Override
  public int minBottomBlobs() {
    return 1;
  }

  @Override
  public int maxBottomBlobs() {
    return 2;
  }

  @Override
  public int exactNumTopBlobs() {
    return 1;
  }

  @Override
  protected void layerSetUp(List<Blob> bottom, List<Blob> top) {
    ScaleParameter p = param.getScaleParam();
    if (bottom.size() == 1 && blobs.isEmpty()) {
      Blob s = newBlob(BiasLayer.paramShape(this, bottom.get(0), p.getAxis(), p.getNumAxes()));
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
    Blob s = bottom.size() > 1 ? bottom.get(1) : blobs.get(0);
    int[] d = BiasLayer.dims(this, bottom.get(0), s, param.getScaleParam().getAxis());
    outer = d[0];
    dim = d[1];
    inner = d[2];
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
    if (x == top.get(0)) {
      // The input is needed for the scale's gradient; keep it before overwriting.
      saved.data().assign(x.data());
    }
    Blob s = bottom.size() > 1 ? bottom.get(1) : blobs.get(0);
    DataView xv = x.dataView();
    DataView sv = s.dataView();
    DataView yv = top.get(0).dataView();
    int k = 0;
    for (int o = 0; o < outer; o++) {
      for (int d = 0; d < dim; d++) {
        double v = sv.get(d);
        for (int i = 0; i < inner; i++, k++) {
          yv.set(k, xv.get(k) * v);
        }
      }
    }
    if (biasIndex >= 0) {
      BiasLayer.addBias(yv, blobs.get(biasIndex).dataView(), yv, outer, dim, inner);
    }
  }

  @Override
  public void backward(List<Blob> top, boolean[] propagateDown, List<Blob> bottom) {
    DataView dy = top.get(0).diffView();
    if (biasIndex >= 0 && paramPropagateDown(biasIndex)) {
      BiasLayer.biasGrad(dy, blobs.get(biasIndex).diffView(), outer, dim, inner, true);
    }
    boolean learned = bottom.size() == 1;
    Blob s = learned ? blobs.get(0) : bottom.get(1);
    if (learned ? paramPropagateDown(0) : propagateDown[1]) {
      Blob x = bottom.get(0) == top.get(0) ? saved : bottom.get(0);
      DataView xv = x.dataView();
      DataView ds = s.diffView();
      for (int d = 0; d < dim; d++) {
        double sum = 0;
        for (int o = 0; o < outer; o++) {
          int base = (o * dim + d) * inner;
          for (int i = 0; i < inner; i++) {
            sum += dy.get(base + i) * xv.get(base + i);
          }
        }
        ds.set(d, learned ? ds.get(d) + sum : sum);
      }
    }
    if (propagateDown[0]) {
      DataView sv = s.dataView();
      DataView dx = bottom.get(0).diffView();
      int k = 0;
      for (int o = 0; o < outer; o++) {
        for (int d = 0; d < dim; d++) {
          double v = sv.get(d);
          for (int i = 0; i < inner; i++, k++) {
            dx.set(k, dy.get(k) * v);
          }
        }
      }
    }
  }
}
