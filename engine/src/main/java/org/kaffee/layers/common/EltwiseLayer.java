package org.kaffee.layers.common;

import java.util.List;
import org.kaffee.core.Blob;
import org.kaffee.core.BlobCounts;
import org.kaffee.core.DataView;
import org.kaffee.core.Layer;
import org.kaffee.proto.Caffe.EltwiseParameter;
import org.kaffee.proto.Caffe.EltwiseParameter.EltwiseOp;
import org.kaffee.proto.Caffe.LayerParameter;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Caffe's Eltwise: element-wise PROD, SUM (with per-bottom {@code coeff}) or MAX (remembering
 * which bottom won, ties to the later of the first two and to the earlier afterwards, as
 * Caffe). PROD's gradient multiplies the other bottoms ({@code stable_prod_grad}) or divides
 * the product by the bottom.
 */
public final class EltwiseLayer extends Layer {
  private EltwiseOp op;
  private double[] coeffs;
  private boolean stableProdGrad;
  private int[] maxIdx = new int[0];

  public EltwiseLayer(LayerParameter param) {
    super(param, BlobCounts.ranges(2, BlobCounts.MANY, 1, 1));
  }

  @Override
  public String type() {
    return "Eltwise";
  }

  @Override
  protected void layerSetUp(List<Blob> bottom, List<Blob> top) {
    EltwiseParameter p = param.getEltwiseParam();
    op = p.getOperation();
    check(p.getCoeffCount() == 0 || p.getCoeffCount() == bottom.size(),
        "Eltwise takes one coefficient per bottom blob (%d bottoms, %d coeffs)", bottom.size(),
        p.getCoeffCount());
    check(op == EltwiseOp.SUM || p.getCoeffCount() == 0,
        "Eltwise layer only takes coefficients for summation");
    coeffs = new double[bottom.size()];
    for (int i = 0; i < coeffs.length; i++) {
      coeffs[i] = p.getCoeffCount() > 0 ? p.getCoeff(i) : 1;
    }
    stableProdGrad = p.getStableProdGrad();
  }

  @Override
  public void reshape(List<Blob> bottom, List<Blob> top) {
    for (int i = 1; i < bottom.size(); i++) {
      check(java.util.Arrays.equals(bottom.get(i).shape(), bottom.get(0).shape()),
          "bottom %d has shape %s, bottom 0 has %s; Eltwise needs equal shapes", i,
          bottom.get(i).shapeString(), bottom.get(0).shapeString());
    }
    top.get(0).reshapeLike(bottom.get(0));
    if (op == EltwiseOp.MAX && maxIdx.length < top.get(0).count()) {
      maxIdx = new int[top.get(0).count()];
    }
  }

  @Override
  public void forward(List<Blob> bottom, List<Blob> top) {
    INDArray y = top.get(0).data();
    switch (op) {
      case PROD -> {
        INDArray a = bottom.get(0).data();
        INDArray b = bottom.get(1).data();
        if (y == a) {
          y.muli(b);
        } else if (y == b) {
          y.muli(a);
        } else {
          a.mul(b, y);
        }
        for (int i = 2; i < bottom.size(); i++) {
          y.muli(bottom.get(i).data());
        }
      }
      case SUM -> {
        // Accumulate into top; an in-place top is bottom 0 and is scaled first.
        Blob t = top.get(0);
        int inPlace = bottom.indexOf(t);
        if (inPlace >= 0) {
          y.muli(coeffs[inPlace]);
        } else {
          y.assign(0);
        }
        for (int i = 0; i < bottom.size(); i++) {
          if (i == inPlace) {
            continue;
          }
          INDArray x = bottom.get(i).data();
          if (coeffs[i] == 1) {
            y.addi(x);
          } else {
            org.nd4j.linalg.factory.Nd4j.getBlasWrapper().level1().axpy(y.length(), coeffs[i], x, y);
          }
        }
      }
      case MAX -> forwardMax(bottom, top.get(0));
      default -> check(false, "unknown elementwise operation %s", op);
    }
  }

  private void forwardMax(List<Blob> bottom, Blob top) {
    int n = top.count();
    DataView y = top.dataView();
    DataView a = bottom.get(0).dataView();
    DataView b = bottom.get(1).dataView();
    for (int j = 0; j < n; j++) {
      double va = a.get(j);
      double vb = b.get(j);
      if (va > vb) {
        y.set(j, va);
        maxIdx[j] = 0;
      } else {
        y.set(j, vb);
        maxIdx[j] = 1;
      }
    }
    for (int i = 2; i < bottom.size(); i++) {
      DataView x = bottom.get(i).dataView();
      for (int j = 0; j < n; j++) {
        double v = x.get(j);
        if (v > y.get(j)) {
          y.set(j, v);
          maxIdx[j] = i;
        }
      }
    }
  }

  @Override
  public void backward(List<Blob> top, boolean[] propagateDown, List<Blob> bottom) {
    INDArray dy = top.get(0).diff();
    INDArray y = top.get(0).data();
    int n = top.get(0).count();
    for (int i = 0; i < bottom.size(); i++) {
      if (!propagateDown[i]) {
        continue;
      }
      Blob b = bottom.get(i);
      INDArray dx = b.diff();
      switch (op) {
        case PROD -> {
          if (stableProdGrad) {
            boolean first = true;
            for (int j = 0; j < bottom.size(); j++) {
              if (j == i) {
                continue;
              }
              if (first) {
                dx.assign(bottom.get(j).data());
                first = false;
              } else {
                dx.muli(bottom.get(j).data());
              }
            }
          } else {
            y.div(b.data(), dx);
          }
          dx.muli(dy);
        }
        case SUM -> {
          if (coeffs[i] == 1) {
            if (dx != dy) {
              dx.assign(dy);
            }
          } else {
            dy.mul(coeffs[i], dx);
          }
        }
        case MAX -> {
          DataView g = b.diffView();
          DataView gt = top.get(0).diffView();
          for (int j = 0; j < n; j++) {
            g.set(j, maxIdx[j] == i ? gt.get(j) : 0);
          }
        }
        default -> check(false, "unknown elementwise operation %s", op);
      }
    }
  }
}
