package org.kaffee.layers.recurrent;

import java.util.List;
import org.kaffee.core.Blob;
import org.kaffee.core.DataView;
import org.kaffee.proto.Caffe.LayerParameter;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Caffe's RNN (Elman network): for each time step {@code t}
 * <pre>
 *   h_t = tanh(W_hh (cont_t h_{t-1}) + W_xh x_t + b_h [+ W_xh_static x_static])
 *   o_t = tanh(W_ho h_t + b_o)
 * </pre>
 * Params, in Caffe's order: {@code W_xh [H, D]}, {@code b_h [H]}, ({@code W_xh_static [H, S]}
 * with a static input), {@code W_hh [H, H]}, {@code W_ho [H, H]}, {@code b_o [H]}.
 */
public final class RNNLayer extends RecurrentLayer {
  private Blob hAll;
  private Blob hc;
  private Blob h0;
  private Blob dO;
  private Blob dH;
  private Blob tmpN;
  private INDArray[] hRows;
  private INDArray[] hcRows;
  private INDArray[] dHRows;

  public RNNLayer(LayerParameter param) {
    super(param, 1);
  }

  @Override
  public String type() {
    return "RNN";
  }

  @Override
  protected int[][] paramShapes() {
    int h = numOutput;
    if (staticInput) {
      return new int[][] {{h, inputDim}, {h}, {h, staticDim}, {h, h}, {h, h}, {h}};
    }
    return new int[][] {{h, inputDim}, {h}, {h, h}, {h, h}, {h}};
  }

  @Override
  public void reshape(List<Blob> bottom, List<Blob> top) {
    boolean remake = reshapeCommon(bottom, top);
    if (remake || hAll == null) {
      int tn = steps * streams;
      int h = numOutput;
      makeInputBuffers(h);
      hAll = buffer(tn, h);
      hc = buffer(tn, h);
      h0 = buffer(streams, h);
      dO = buffer(tn, h);
      dH = buffer(tn, h);
      tmpN = buffer(streams, h);
      hRows = stepViews(hAll.data(), streams);
      hcRows = stepViews(hc.data(), streams);
      dHRows = stepViews(dH.data(), streams);
    }
  }

  @Override
  public void forward(List<Blob> bottom, List<Blob> top) {
    int tn = steps * streams;
    int h = numOutput;
    int nh = streams * h;
    int s = staticOffset();
    INDArray whh = as2d(blobs.get(2 + s), h, h);
    INDArray who = as2d(blobs.get(3 + s), h, h);
    loadInitialState(h0, bottom, 0, hRows);
    INDArray all = hAll.data();
    forwardInputTerms(bottom, all, h);
    DataView cont = bottom.get(1).dataView();
    DataView hv = hAll.dataView();
    DataView hcv = hc.dataView();
    DataView h0v = h0.dataView();
    DataView tv = tmpN.dataView();
    DataView sv = staticTerm.dataView();
    for (int t = 0; t < steps; t++) {
      maskPreviousState(cont, t, h0v, hv, hcv);
      // The recurrent term goes to a contiguous buffer (gemm into a row view is slow).
      gemm(hcRows[t], whh, tmpN.data(), false, true, 0.0);
      int base = t * nh;
      if (staticInput) {
        for (int k = 0; k < nh; k++) {
          hv.set(base + k, Math.tanh(hv.get(base + k) + tv.get(k) + sv.get(k)));
        }
      } else {
        for (int k = 0; k < nh; k++) {
          hv.set(base + k, Math.tanh(hv.get(base + k) + tv.get(k)));
        }
      }
    }
    INDArray o = as2d(top.get(0), tn, h);
    gemm(all, who, o, false, true, 0.0);
    gemm(ones.data(), as2d(blobs.get(4 + s), 1, h), o, false, false, 1.0);
    DataView ov = top.get(0).dataView();
    for (int i = 0, end = tn * h; i < end; i++) {
      ov.set(i, Math.tanh(ov.get(i)));
    }
    if (exposeHidden) {
      as2d(top.get(1), streams, h).assign(hRows[steps - 1]);
    }
  }

  @Override
  public void backward(List<Blob> top, boolean[] propagateDown, List<Blob> bottom) {
    int tn = steps * streams;
    int h = numOutput;
    int nh = streams * h;
    int s = staticOffset();
    DataView ov = top.get(0).dataView();
    DataView odv = top.get(0).diffView();
    DataView dov = dO.dataView();
    for (int i = 0, end = tn * h; i < end; i++) {
      double o = ov.get(i);
      dov.set(i, odv.get(i) * (1 - o * o));
    }
    INDArray all = hAll.data();
    if (paramPropagateDown(3 + s)) {
      gemm(dO.data(), all, diff2d(blobs.get(3 + s), h, h), true, false, 1.0);
    }
    if (paramPropagateDown(4 + s)) {
      gemm(ones.data(), dO.data(), diff2d(blobs.get(4 + s), 1, h), true, false, 1.0);
    }
    INDArray whh = as2d(blobs.get(2 + s), h, h);
    gemm(dO.data(), as2d(blobs.get(3 + s), h, h), dH.data(), false, false, 0.0);
    DataView cont = bottom.get(1).dataView();
    DataView hv = hAll.dataView();
    DataView dhv = dH.dataView();
    DataView tv = tmpN.dataView();
    for (int t = steps - 1; t >= 0; t--) {
      for (int i = t * nh, end = (t + 1) * nh; i < end; i++) {
        double y = hv.get(i);
        dhv.set(i, dhv.get(i) * (1 - y * y));
      }
      if (t > 0) {
        gemm(dHRows[t], whh, tmpN.data(), false, false, 0.0);
        int prev = (t - 1) * nh;
        for (int n = 0; n < streams; n++) {
          double c = cont.get(t * streams + n);
          for (int d = 0; d < h; d++) {
            int k = n * h + d;
            dhv.add(prev + k, c * tv.get(k));
          }
        }
      }
    }
    backwardInputTerms(dH, hc, h, propagateDown, bottom);
  }
}
