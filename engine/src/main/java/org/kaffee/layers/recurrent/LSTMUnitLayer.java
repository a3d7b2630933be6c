package org.kaffee.layers.recurrent;

import java.util.List;
import org.kaffee.core.Blob;
import org.kaffee.core.BlobCounts;
import org.kaffee.core.DataView;
import org.kaffee.core.Layer;
import org.kaffee.proto.Caffe.LayerParameter;

/**
 * Caffe's LSTMUnit: one LSTM step. Bottoms {@code c_prev [1, N, H]}, gate inputs
 * {@code X [1, N, 4H]} (order i, f, o, g) and {@code cont [1, N]}; tops {@code c [1, N, H]}
 * and {@code h [1, N, H]}, with {@code f = cont * sigmoid(f')},
 * {@code c = f * c_prev + i * g}, {@code h = o * tanh(c)}. No gradient for cont.
 */
public final class LSTMUnitLayer extends Layer {
  private int hidden;
  private final LstmGates gateValues = new LstmGates();

  public LSTMUnitLayer(LayerParameter param) {
    super(param, BlobCounts.of(3, 2));
  }

  @Override
  public String type() {
    return "LSTMUnit";
  }

  @Override
  public boolean allowForceBackward(int bottomIndex) {
    return bottomIndex != 2;
  }

  @Override
  public void reshape(List<Blob> bottom, List<Blob> top) {
    int num = bottom.get(0).shape(1);
    for (int i = 0; i < bottom.size(); i++) {
      Blob b = bottom.get(i);
      check(b.numAxes() == (i == 2 ? 2 : 3), "bottom[%d] %s must have %d axes", i,
          b.shapeString(), i == 2 ? 2 : 3);
      check(b.shape(0) == 1 && b.shape(1) == num, "bottom[%d] %s must be (1 x %d ...)", i,
          b.shapeString(), num);
    }
    hidden = bottom.get(0).shape(2);
    check(bottom.get(1).shape(2) == 4 * hidden, "bottom[1] %s must have 4 x %d gate inputs",
        bottom.get(1).shapeString(), hidden);
    top.get(0).reshapeLike(bottom.get(0));
    top.get(1).reshapeLike(bottom.get(0));
  }

  @Override
  public void forward(List<Blob> bottom, List<Blob> top) {
    int num = bottom.get(0).shape(1);
    int h = hidden;
    DataView cPrev = bottom.get(0).dataView();
    DataView x = bottom.get(1).dataView();
    DataView cont = bottom.get(2).dataView();
    DataView c = top.get(0).dataView();
    DataView hv = top.get(1).dataView();
    for (int n = 0; n < num; n++) {
      double ct = cont.get(n);
      int xo = n * 4 * h;
      for (int d = 0; d < h; d++) {
        int k = n * h + d;
        gateValues.read(x, xo, h, d, ct);
        double cv = gateValues.cell(cPrev.get(k));
        c.set(k, cv);
        hv.set(k, gateValues.hidden(cv));
      }
    }
  }

  @Override
  public void backward(List<Blob> top, boolean[] propagateDown, List<Blob> bottom) {
    check(!propagateDown[2], "Cannot backpropagate to sequence indicators.");
    if (!propagateDown[0] && !propagateDown[1]) {
      return;
    }
    int num = bottom.get(0).shape(1);
    int h = hidden;
    DataView cPrev = bottom.get(0).dataView();
    DataView x = bottom.get(1).dataView();
    DataView cont = bottom.get(2).dataView();
    DataView c = top.get(0).dataView();
    DataView cDiff = top.get(0).diffView();
    DataView hDiff = top.get(1).diffView();
    DataView cPrevDiff = bottom.get(0).diffView();
    DataView xDiff = bottom.get(1).diffView();
    for (int n = 0; n < num; n++) {
      double ct = cont.get(n);
      int xo = n * 4 * h;
      for (int d = 0; d < h; d++) {
        int k = n * h + d;
        gateValues.read(x, xo, h, d, ct);
        double tanhC = Math.tanh(c.get(k));
        double dh = hDiff.get(k);
        double cTerm = gateValues.cellDiff(cDiff.get(k), dh, tanhC);
        if (propagateDown[0]) {
          cPrevDiff.set(k, cTerm * gateValues.f);
        }
        if (propagateDown[1]) {
          gateValues.writePreActivationDiffs(xDiff, xo, h, d, cTerm, dh, cPrev.get(k), tanhC);
        }
      }
    }
  }
}
