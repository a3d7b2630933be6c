package org.kaffee.layers.recurrent;

import java.util.List;
import org.kaffee.core.Blob;
import org.kaffee.core.DataView;
import org.kaffee.core.Filler;
import org.kaffee.proto.Caffe.LayerParameter;
import org.kaffee.proto.Caffe.RecurrentParameter;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Caffe's LSTM: for each time step {@code t}, with gate pre-activations
 * {@code [i', f', o', g'] = W_hc (cont_t h_{t-1}) + W_xc x_t + b_c [+ W_xc_static x_static]}:
 * <pre>
 *   i = sigmoid(i'), f = cont_t * sigmoid(f'), o = sigmoid(o'), g = tanh(g')
 *   c_t = f * c_{t-1} + i * g,   h_t = o * tanh(c_t)
 * </pre>
 * The top is {@code h}. Params, in Caffe's order: {@code W_xc [4H, D]}, {@code b_c [4H]},
 * ({@code W_xc_static [4H, S]} with a static input), {@code W_hc [4H, H]}.
 */
public final class LSTMLayer extends RecurrentLayer {
  private Blob gates;
  private Blob hc;
  private Blob cAll;
  private Blob hAll;
  private Blob h0;
  private Blob c0;
  private Blob st;
  private Blob stepGates;
  private Blob dGates;
  private Blob dHn;
  private Blob dCn;
  private Blob tmpN;
  private Blob dsum;
  private Blob ones;
  private INDArray[] hcRows;
  private INDArray[] dGateRows;
  private INDArray[] hRows;
  private INDArray[] cRows;

  public LSTMLayer(LayerParameter param) {
    super(param, 2);
  }

  @Override
  public String type() {
    return "LSTM";
  }

  private int s() {
    return staticInput ? 1 : 0;
  }

  @Override
  protected int[][] paramShapes() {
    int h = numOutput;
    int g = 4 * h;
    if (staticInput) {
      return new int[][] {{g, inputDim}, {g}, {g, staticDim}, {g, h}};
    }
    return new int[][] {{g, inputDim}, {g}, {g, h}};
  }

  @Override
  protected void createParams(RecurrentParameter p) {
    int[][] shapes = paramShapes();
    for (int i = 0; i < shapes.length; i++) {
      Blob b = newBlob(shapes[i]);
      Filler.fill(shapes[i].length == 1 ? p.getBiasFiller() : p.getWeightFiller(), b);
      blobs.add(b);
    }
  }

  @Override
  public void reshape(List<Blob> bottom, List<Blob> top) {
    boolean remake = reshapeCommon(bottom, top);
    if (remake || gates == null) {
      int tn = steps * streams;
      int h = numOutput;
      gates = buffer(tn, 4 * h);
      hc = buffer(tn, h);
      cAll = buffer(tn, h);
      hAll = buffer(tn, h);
      h0 = buffer(streams, h);
      c0 = buffer(streams, h);
      st = buffer(streams, 4 * h);
      stepGates = buffer(streams, 4 * h);
      dGates = buffer(tn, 4 * h);
      dHn = buffer(streams, h);
      dCn = buffer(streams, h);
      tmpN = buffer(streams, h);
      dsum = buffer(streams, 4 * h);
      ones = buffer(tn, 1);
      ones.data().assign(1);
      hcRows = stepViews(hc.data(), streams);
      dGateRows = stepViews(dGates.data(), streams);
      hRows = stepViews(hAll.data(), streams);
      cRows = stepViews(cAll.data(), streams);
    }
  }

  private static double sigmoid(double x) {
    return 1.0 / (1.0 + Math.exp(-x));
  }

  @Override
  public void forward(List<Blob> bottom, List<Blob> top) {
    int tn = steps * streams;
    int h = numOutput;
    int g4 = 4 * h;
    int nh = streams * h;
    int s = s();
    INDArray whc = as2d(blobs.get(2 + s), g4, h);
    if (exposeHidden) {
      h0.data().assign(as2d(bottom.get(hiddenBottomOffset()), streams, h));
      c0.data().assign(as2d(bottom.get(hiddenBottomOffset() + 1), streams, h));
    } else {
      h0.data().assign(hRows[steps - 1]);
      c0.data().assign(cRows[steps - 1]);
    }
    gemm(as2d(bottom.get(0), tn, inputDim), as2d(blobs.get(0), g4, inputDim), gates.data(),
        false, true, 0.0);
    gemm(ones.data(), as2d(blobs.get(1), 1, g4), gates.data(), false, false, 1.0);
    if (staticInput) {
      gemm(as2d(bottom.get(2), streams, staticDim), as2d(blobs.get(2), g4, staticDim), st.data(),
          false, true, 0.0);
    }
    DataView cont = bottom.get(1).dataView();
    DataView gv = gates.dataView();
    DataView hv = hAll.dataView();
    DataView cv = cAll.dataView();
    DataView hcv = hc.dataView();
    DataView h0v = h0.dataView();
    DataView c0v = c0.dataView();
    DataView sg = stepGates.dataView();
    DataView stv = st.dataView();
    for (int t = 0; t < steps; t++) {
      if (t == 0) {
        scaleByCont(cont, 0, h0v, 0, hcv, 0, h);
      } else {
        scaleByCont(cont, t, hv, (t - 1) * nh, hcv, t * nh, h);
      }
      // The recurrent term goes to a contiguous buffer (gemm into a row view is slow), then
      // is added (with the static term) to this step's gate inputs.
      gemm(hcRows[t], whc, stepGates.data(), false, true, 0.0);
      for (int n = 0; n < streams; n++) {
        double ct = cont.get(t * streams + n);
        int x = (t * streams + n) * g4;
        int out = t * nh + n * h;
        int r = n * g4;
        if (staticInput) {
          for (int j = 0; j < g4; j++) {
            gv.set(x + j, gv.get(x + j) + sg.get(r + j) + stv.get(r + j));
          }
        } else {
          for (int j = 0; j < g4; j++) {
            gv.set(x + j, gv.get(x + j) + sg.get(r + j));
          }
        }
        for (int d = 0; d < h; d++) {
          double i = sigmoid(gv.get(x + d));
          double f = ct == 0 ? 0 : ct * sigmoid(gv.get(x + h + d));
          double o = sigmoid(gv.get(x + 2 * h + d));
          double g = Math.tanh(gv.get(x + 3 * h + d));
          double cPrev = t == 0 ? c0v.get(n * h + d) : cv.get(out - nh + d);
          double c = f * cPrev + i * g;
          cv.set(out + d, c);
          hv.set(out + d, o * Math.tanh(c));
        }
      }
    }
    as2d(top.get(0), tn, h).assign(hAll.data());
    if (exposeHidden) {
      as2d(top.get(1), streams, h).assign(hRows[steps - 1]);
      as2d(top.get(2), streams, h).assign(cRows[steps - 1]);
    }
  }

  @Override
  public void backward(List<Blob> top, boolean[] propagateDown, List<Blob> bottom) {
    int tn = steps * streams;
    int h = numOutput;
    int g4 = 4 * h;
    int nh = streams * h;
    int s = s();
    INDArray whc = as2d(blobs.get(2 + s), g4, h);
    DataView cont = bottom.get(1).dataView();
    DataView gv = gates.dataView();
    DataView cv = cAll.dataView();
    DataView c0v = c0.dataView();
    DataView topDiff = top.get(0).diffView();
    DataView dgv = dGates.dataView();
    DataView dhn = dHn.dataView();
    DataView dcn = dCn.dataView();
    DataView tv = tmpN.dataView();
    dHn.data().assign(0);
    dCn.data().assign(0);
    for (int t = steps - 1; t >= 0; t--) {
      for (int n = 0; n < streams; n++) {
        double ct = cont.get(t * streams + n);
        int x = (t * streams + n) * g4;
        int out = t * nh + n * h;
        for (int d = 0; d < h; d++) {
          int k = n * h + d;
          double i = sigmoid(gv.get(x + d));
          double f = ct == 0 ? 0 : ct * sigmoid(gv.get(x + h + d));
          double o = sigmoid(gv.get(x + 2 * h + d));
          double g = Math.tanh(gv.get(x + 3 * h + d));
          double cPrev = t == 0 ? c0v.get(k) : cv.get(out - nh + d);
          double tanhC = Math.tanh(cv.get(out + d));
          double dh = topDiff.get(out + d) + dhn.get(k);
          double cTerm = dcn.get(k) + dh * o * (1 - tanhC * tanhC);
          dcn.set(k, cTerm * f);
          dgv.set(x + d, cTerm * g * i * (1 - i));
          dgv.set(x + h + d, cTerm * cPrev * f * (1 - f));
          dgv.set(x + 2 * h + d, dh * tanhC * o * (1 - o));
          dgv.set(x + 3 * h + d, cTerm * i * (1 - g * g));
        }
      }
      if (t > 0) {
        gemm(dGateRows[t], whc, tmpN.data(), false, false, 0.0);
        for (int n = 0; n < streams; n++) {
          double ct = cont.get(t * streams + n);
          for (int d = 0; d < h; d++) {
            int k = n * h + d;
            dhn.set(k, ct * tv.get(k));
          }
        }
      }
    }
    INDArray dg = dGates.data();
    if (paramPropagateDown(2 + s)) {
      gemm(dg, hc.data(), diff2d(blobs.get(2 + s), g4, h), true, false, 1.0);
    }
    if (paramPropagateDown(0)) {
      gemm(dg, as2d(bottom.get(0), tn, inputDim), diff2d(blobs.get(0), g4, inputDim), true, false, 1.0);
    }
    if (paramPropagateDown(1)) {
      gemm(ones.data(), dg, diff2d(blobs.get(1), 1, g4), true, false, 1.0);
    }
    if (propagateDown[0]) {
      gemm(dg, as2d(blobs.get(0), g4, inputDim), diff2d(bottom.get(0), tn, inputDim), false, false, 0.0);
    }
    if (staticInput && (paramPropagateDown(2) || propagateDown[2])) {
      DataView sv = dsum.dataView();
      int ng = streams * g4;
      for (int k = 0; k < ng; k++) {
        double sum = 0;
        for (int t = 0; t < steps; t++) {
          sum += dgv.get(t * ng + k);
        }
        sv.set(k, sum);
      }
      if (paramPropagateDown(2)) {
        gemm(dsum.data(), as2d(bottom.get(2), streams, staticDim), diff2d(blobs.get(2), g4, staticDim),
            true, false, 1.0);
      }
      if (propagateDown[2]) {
        gemm(dsum.data(), as2d(blobs.get(2), g4, staticDim), diff2d(bottom.get(2), streams, staticDim),
            false, false, 0.0);
      }
    }
  }
}
