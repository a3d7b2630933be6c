package org.kaffee.layers.common;

import java.util.List;
import org.kaffee.core.Blob;
import org.kaffee.core.BlobCounts;
import org.kaffee.core.DataView;
import org.kaffee.core.Filler;
import org.kaffee.core.Layer;
import org.kaffee.proto.Caffe.EmbedParameter;
import org.kaffee.proto.Caffe.LayerParameter;

/**
 * Caffe's Embed: each bottom value is an integer index into the {@code [input_dim,
 * num_output]} weight, whose row becomes the output (plus the bias); the top gains a trailing
 * axis of {@code num_output}. No gradient to the indices.
 */
public final class EmbedLayer extends Layer {
  private int n;
  private int k;
  private boolean biasTerm;

  public EmbedLayer(LayerParameter param) {
    super(param, BlobCounts.of(1, 1));
  }

  @Override
  public String type() {
    return "Embed";
  }

  @Override
  public boolean allowForceBackward(int bottomIndex) {
    return false;
  }

  @Override
  protected void layerSetUp(List<Blob> bottom, List<Blob> top) {
    EmbedParameter p = param.getEmbedParam();
    n = p.getNumOutput();
    check(n > 0, "num_output must be positive, got %d", n);
    k = p.getInputDim();
    check(k > 0, "input_dim must be positive, got %d", k);
    biasTerm = p.getBiasTerm();
    if (blobs.isEmpty()) {
      Blob w = newBlob(k, n);
      Filler.fill(p.getWeightFiller(), w);
      blobs.add(w);
      if (biasTerm) {
        Blob b = newBlob(n);
        Filler.fill(p.getBiasFiller(), b);
        blobs.add(b);
      }
    }
    for (int i = 0; i < blobs.size(); i++) {
      setParamPropagateDown(i, true);
    }
  }

  @Override
  public void reshape(List<Blob> bottom, List<Blob> top) {
    int[] in = bottom.get(0).shape();
    int[] shape = java.util.Arrays.copyOf(in, in.length + 1);
    shape[in.length] = n;
    top.get(0).reshape(shape);
  }

  private int index(DataView x, int i) {
    double v = x.get(i);
    int idx = (int) v;
    check(idx >= 0 && idx < k && idx == v, "input %s at position %d is not an integer index in "
        + "[0, %d)", v, i, k);
    return idx;
  }

  @Override
  public void forward(List<Blob> bottom, List<Blob> top) {
    int m = bottom.get(0).count();
    DataView x = bottom.get(0).dataView();
    DataView w = blobs.get(0).dataView();
    DataView y = top.get(0).dataView();
    DataView b = biasTerm ? blobs.get(1).dataView() : null;
    for (int i = 0; i < m; i++) {
      int src = index(x, i) * n;
      int dst = i * n;
      for (int j = 0; j < n; j++) {
        y.set(dst + j, w.get(src + j) + (b == null ? 0 : b.get(j)));
      }
    }
  }

  @Override
  public void backward(List<Blob> top, boolean[] propagateDown, List<Blob> bottom) {
    check(!propagateDown[0], "cannot backpropagate to the Embed layer's input");
    int m = bottom.get(0).count();
    DataView dy = top.get(0).diffView();
    if (paramPropagateDown(0)) {
      DataView x = bottom.get(0).dataView();
      DataView dw = blobs.get(0).diffView();
      for (int i = 0; i < m; i++) {
        int dst = index(x, i) * n;
        int src = i * n;
        for (int j = 0; j < n; j++) {
          dw.add(dst + j, dy.get(src + j));
        }
      }
    }
    if (biasTerm && paramPropagateDown(1)) {
      DataView db = blobs.get(1).diffView();
      for (int i = 0; i < m; i++) {
        int src = i * n;
        for (int j = 0; j < n; j++) {
          db.add(j, dy.get(src + j));
        }
      }
    }
  }
}
