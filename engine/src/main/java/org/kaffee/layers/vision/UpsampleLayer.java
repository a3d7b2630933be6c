package org.kaffee.layers.vision;

import java.util.Arrays;
import java.util.List;
import org.kaffee.core.Blob;
import org.kaffee.core.BlobCounts;
import org.kaffee.core.DataView;
import org.kaffee.core.Layer;
import org.kaffee.proto.Caffe.LayerParameter;
import org.kaffee.proto.Caffe.UpsampleParameter;

/**
 * The forks' Upsample, in both of its forms:
 * <ul>
 * <li>two bottoms (SegNet, alexgkendall/caffe-segnet): max-unpooling. Each value of bottom 0 goes
 * to the position the second bottom, the mask top of a MAX Pooling layer, names in its output
 * plane; the rest of the plane is 0. The output is upsample_h x upsample_w, or the input times
 * scale_h / scale_w (default scale) less one where pad_out_h / pad_out_w say so.</li>
 * <li>one bottom (the YOLOv3 forks): nearest-neighbour enlargement by the same factors; backward
 * sums each block of copies.</li>
 * </ul>
 */
public final class UpsampleLayer extends Layer {
  private int planes;
  private int height;
  private int width;
  private int outHeight;
  private int outWidth;
  private int scaleH;
  private int scaleW;

  public UpsampleLayer(LayerParameter param) {
    super(param, BlobCounts.ranges(1, 2, 1, 1));
  }

  @Override
  public String type() {
    return "Upsample";
  }

  @Override
  public boolean allowForceBackward(int bottomIndex) {
    return bottomIndex == 0;
  }

  @Override
  public void reshape(List<Blob> bottom, List<Blob> top) {
    UpsampleParameter p = param.getUpsampleParam();
    Blob b = bottom.get(0);
    check(b.numAxes() == 4, "needs a 4-axis bottom, got %s", b.shapeString());
    if (bottom.size() == 2) {
      check(Arrays.equals(b.shape(), bottom.get(1).shape()), "the mask %s must have the values' shape %s",
          bottom.get(1).shapeString(), b.shapeString());
    }
    scaleH = p.hasScaleH() ? p.getScaleH() : p.getScale();
    scaleW = p.hasScaleW() ? p.getScaleW() : p.getScale();
    check(scaleH > 0 && scaleW > 0, "scale must be positive, got %d x %d", scaleH, scaleW);
    planes = b.count(0, 2);
    height = b.shape(2);
    width = b.shape(3);
    outHeight = p.hasUpsampleH() ? p.getUpsampleH() : height * scaleH - (p.getPadOutH() ? 1 : 0);
    outWidth = p.hasUpsampleW() ? p.getUpsampleW() : width * scaleW - (p.getPadOutW() ? 1 : 0);
    check(outHeight > 0 && outWidth > 0, "output size %d x %d is not positive", outHeight, outWidth);
    top.get(0).reshape(b.shape(0), b.shape(1), outHeight, outWidth);
  }

  @Override
  public void forward(List<Blob> bottom, List<Blob> top) {
    DataView x = bottom.get(0).dataView();
    DataView y = top.get(0).dataView();
    int in = height * width;
    int out = outHeight * outWidth;
    if (bottom.size() == 1) {
      for (int p = 0; p < planes; p++) {
        for (int i = 0; i < out; i++) {
          y.set(p * out + i, x.get(p * in + nearest(i)));
        }
      }
      return;
    }
    DataView mask = bottom.get(1).dataView();
    top.get(0).data().assign(0);
    for (int p = 0; p < planes; p++) {
      for (int i = 0; i < in; i++) {
        y.set(p * out + target(mask, p * in + i, out), x.get(p * in + i));
      }
    }
  }

  @Override
  public void backward(List<Blob> top, boolean[] propagateDown, List<Blob> bottom) {
    check(bottom.size() == 1 || !propagateDown[1], "cannot backpropagate to the pooling mask");
    if (!propagateDown[0]) {
      return;
    }
    DataView dy = top.get(0).diffView();
    DataView dx = bottom.get(0).diffView();
    int in = height * width;
    int out = outHeight * outWidth;
    if (bottom.size() == 1) {
      bottom.get(0).diff().assign(0);
      for (int p = 0; p < planes; p++) {
        for (int i = 0; i < out; i++) {
          dx.add(p * in + nearest(i), dy.get(p * out + i));
        }
      }
      return;
    }
    DataView mask = bottom.get(1).dataView();
    for (int p = 0; p < planes; p++) {
      for (int i = 0; i < in; i++) {
        dx.set(p * in + i, dy.get(p * out + target(mask, p * in + i, out)));
      }
    }
  }

  /** The input position an output position copies (clamped where upsample_h/w exceed the scale). */
  private int nearest(int outIndex) {
    int sy = Math.min(outIndex / outWidth / scaleH, height - 1);
    int sx = Math.min(outIndex % outWidth / scaleW, width - 1);
    return sy * width + sx;
  }

  /** The output position the mask names for input element {@code i}, checked against the plane. */
  private int target(DataView mask, int i, int planeSize) {
    int index = (int) mask.get(i);
    if (index < 0 || index >= planeSize) {
      check(false, "mask value %d is outside the %d x %d output: scale or upsample_h/w do not match "
          + "the pooling layer that made the mask", index, outHeight, outWidth);
    }
    return index;
  }
}
