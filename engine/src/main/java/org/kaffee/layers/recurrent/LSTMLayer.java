package org.kaffee.layers.recurrent;

import java.util.List;
import org.kaffee.core.Blob;
import org.kaffee.core.DataView;
import org.kaffee.proto.Caffe.LayerParameter;
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
  private Blob stepGates;
  private Blob dGates;
  private Blob dHn;
  private Blob dCn;
  private Blob tmpN;
  private INDArray[] hcRows;
  private INDArray[] dGateRows;
  private INDArray[] hRows;
  private INDArray[] cRows;
  private final LstmGates gateValues = new LstmGates();

  public LSTMLayer(LayerParameter param) {
    super(param, 2);
  }

  @Override
  public String type() {
    return "LSTM";
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
  public void reshape(List<Blob> bottom, List<Blob> top) {
    boolean remake = reshapeCommon(bottom, top);
    if (remake || gates == null) {
      int tn = steps * streams;
      int h = numOutput;
      makeInputBuffers(4 * h);
      gates = buffer(tn, 4 * h);
      hc = buffer(tn, h);
      cAll = buffer(tn, h);
      hAll = buffer(tn, h);
      h0 = buffer(streams, h);
      c0 = buffer(streams, h);
      stepGates = buffer(streams, 4 * h);
      dGates = buffer(tn, 4 * h);
      dHn = buffer(streams, h);
      dCn = buffer(streams, h);
      tmpN = buffer(streams, h);
      hcRows = stepViews(hc.data(), streams);
      dGateRows = stepViews(dGates.data(), streams);
      hRows = stepViews(hAll.data(), streams);
      cRows = stepViews(cAll.data(), streams);
    }
  }

  @Override
  public void forward(List<Blob> bottom, List<Blob> top) {
    int tn = steps * streams;
    int h = numOutput;
    int g4 = 4 * h;
    int nh = streams * h;
    INDArray whc = as2d(blobs.get(2 + staticOffset()), g4, h);
    loadInitialState(h0, bottom, 0, hRows);
    loadInitialState(c0, bottom, 1, cRows);
    forwardInputTerms(bottom, gates.data(), g4);
    DataView cont = bottom.get(1).dataView();
    DataView gv = gates.dataView();
    DataView hv = hAll.dataView();
    DataView cv = cAll.dataView();
    DataView hcv = hc.dataView();
    DataView h0v = h0.dataView();
    DataView c0v = c0.dataView();
    DataView sg = stepGates.dataView();
    DataView stv = staticTerm.dataView();
    for (int t = 0; t < steps; t++) {
      maskPreviousState(cont, t, h0v, hv, hcv);
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
          gateValues.read(gv, x, h, d, ct);
          double cPrev = t == 0 ? c0v.get(n * h + d) : cv.get(out - nh + d);
          double c = gateValues.cell(cPrev);
          cv.set(out + d, c);
          hv.set(out + d, gateValues.hidden(c));
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
    int h = numOutput;
    int g4 = 4 * h;
    int nh = streams * h;
    INDArray whc = as2d(blobs.get(2 + staticOffset()), g4, h);
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
          gateValues.read(gv, x, h, d, ct);
          double cPrev = t == 0 ? c0v.get(k) : cv.get(out - nh + d);
          double tanhC = Math.tanh(cv.get(out + d));
          double dh = topDiff.get(out + d) + dhn.get(k);
          double cTerm = gateValues.cellDiff(dcn.get(k), dh, tanhC);
          dcn.set(k, cTerm * gateValues.f);
          gateValues.writePreActivationDiffs(dgv, x, h, d, cTerm, dh, cPrev, tanhC);
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
    backwardInputTerms(dGates, hc, g4, propagateDown, bottom);
  }
}
