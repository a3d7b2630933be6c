package org.kaffee.layers.common;

import java.util.Arrays;
import java.util.List;
import org.kaffee.core.Blob;
import org.kaffee.core.BlobCounts;
import org.kaffee.core.DataView;
import org.kaffee.core.Layer;
import org.kaffee.proto.Caffe.LayerParameter;

/**
 * SENet's Axpy (hujie-frank/SENet): bottoms a (N x C, or N x C x 1 x 1), x and y (both
 * N x C x ...); top = a * x + y with a's value per image and channel spread over the plane.
 * Gradients: da = sum over the plane of dtop * x, dx = a * dtop, dy = dtop.
 */
public final class AxpyLayer extends Layer {
  private int planes;
  private int plane;

  public AxpyLayer(LayerParameter param) {
    super(param, BlobCounts.of(3, 1));
  }

  @Override
  public String type() {
    return "Axpy";
  }

  @Override
  public void reshape(List<Blob> bottom, List<Blob> top) {
    Blob a = bottom.get(0);
    Blob x = bottom.get(1);
    Blob y = bottom.get(2);
    check(x.numAxes() >= 2 && a.numAxes() >= 2 && a.shape(0) == x.shape(0) && a.shape(1) == x.shape(1)
        && a.count(2) == 1, "the scale %s must be N x C (x 1 x 1) of x %s", a.shapeString(),
        x.shapeString());
    check(Arrays.equals(x.shape(), y.shape()), "x %s and y %s must have the same shape",
        x.shapeString(), y.shapeString());
    planes = a.count();
    plane = x.count(2);
    top.get(0).reshapeLike(x);
  }

  @Override
  public void forward(List<Blob> bottom, List<Blob> top) {
    DataView a = bottom.get(0).dataView();
    DataView x = bottom.get(1).dataView();
    DataView y = bottom.get(2).dataView();
    DataView out = top.get(0).dataView();
    for (int p = 0; p < planes; p++) {
      double scale = a.get(p);
      for (int i = p * plane; i < (p + 1) * plane; i++) {
        out.set(i, scale * x.get(i) + y.get(i));
      }
    }
  }

  @Override
  public void backward(List<Blob> top, boolean[] propagateDown, List<Blob> bottom) {
    DataView dtop = top.get(0).diffView();
    DataView a = bottom.get(0).dataView();
    DataView x = bottom.get(1).dataView();
    if (propagateDown[0]) {
      DataView da = bottom.get(0).diffView();
      for (int p = 0; p < planes; p++) {
        double sum = 0;
        for (int i = p * plane; i < (p + 1) * plane; i++) {
          sum += dtop.get(i) * x.get(i);
        }
        da.set(p, sum);
      }
    }
    if (propagateDown[1]) {
      DataView dx = bottom.get(1).diffView();
      for (int p = 0; p < planes; p++) {
        double scale = a.get(p);
        for (int i = p * plane; i < (p + 1) * plane; i++) {
          dx.set(i, scale * dtop.get(i));
        }
      }
    }
    // in place on y (top == y, as SENet's nets write it) dy already is dtop
    if (propagateDown[2] && bottom.get(2) != top.get(0)) {
      bottom.get(2).diff().assign(top.get(0).diff());
    }
  }
}
