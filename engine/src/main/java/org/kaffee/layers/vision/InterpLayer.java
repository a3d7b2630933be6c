package org.kaffee.layers.vision;

import java.util.List;
import org.kaffee.core.Blob;
import org.kaffee.core.BlobCounts;
import org.kaffee.core.DataView;
import org.kaffee.core.Layer;
import org.kaffee.proto.Caffe.InterpParameter;
import org.kaffee.proto.Caffe.LayerParameter;

/**
 * DeepLab v2's and PSPNet's Interp: bilinear resizing with aligned corners (output corner pixels
 * sit on input corner pixels, the step (in - 1) / (out - 1)). The input is first cropped by
 * -pad_beg / -pad_end (non-positive pads only). The output size is, in this order of precedence:
 * the second bottom's height and width; (in - 1) / shrink_factor + 1; in + (in - 1)(zoom_factor
 * - 1); height and width; shrink then zoom when both are given. Backward spreads each output
 * gradient over its four input neighbours with the same weights.
 */
public final class InterpLayer extends Layer {
  private final int padBeg;
  private final int padEnd;
  private int planes;
  private int height;
  private int width;
  private int effHeight;
  private int effWidth;
  private int outHeight;
  private int outWidth;

  public InterpLayer(LayerParameter param) {
    super(param, BlobCounts.ranges(1, 2, 1, 1));
    padBeg = param.getInterpParam().getPadBeg();
    padEnd = param.getInterpParam().getPadEnd();
  }

  @Override
  public String type() {
    return "Interp";
  }

  @Override
  public boolean allowForceBackward(int bottomIndex) {
    return bottomIndex == 0;
  }

  @Override
  public void reshape(List<Blob> bottom, List<Blob> top) {
    InterpParameter p = param.getInterpParam();
    check(padBeg <= 0 && padEnd <= 0, "only non-positive pads (cropping) are supported, got %d and %d",
        padBeg, padEnd);
    Blob b = bottom.get(0);
    check(b.numAxes() == 4, "needs a 4-axis bottom, got %s", b.shapeString());
    planes = b.count(0, 2);
    height = b.shape(2);
    width = b.shape(3);
    effHeight = height + padBeg + padEnd;
    effWidth = width + padBeg + padEnd;
    check(effHeight > 0 && effWidth > 0, "cropping leaves no input (%d x %d)", effHeight, effWidth);
    boolean shrink = p.hasShrinkFactor();
    boolean zoom = p.hasZoomFactor();
    if (bottom.size() == 2) {
      check(!shrink && !zoom && !p.hasHeight() && !p.hasWidth(),
          "a second bottom gives the size: shrink_factor, zoom_factor, height and width must be left out");
      outHeight = bottom.get(1).shape(2);
      outWidth = bottom.get(1).shape(3);
    } else if (shrink || zoom) {
      check(p.getShrinkFactor() >= 1 && p.getZoomFactor() >= 1, "shrink_factor and zoom_factor must be >= 1");
      outHeight = zoomed(shrunk(effHeight, shrink, p), zoom, p);
      outWidth = zoomed(shrunk(effWidth, shrink, p), zoom, p);
    } else {
      check(p.hasHeight() && p.hasWidth(), "give height and width, a zoom or shrink factor, or a second bottom");
      outHeight = p.getHeight();
      outWidth = p.getWidth();
    }
    check(outHeight > 0 && outWidth > 0, "output size %d x %d is not positive", outHeight, outWidth);
    top.get(0).reshape(b.shape(0), b.shape(1), outHeight, outWidth);
  }

  private static int shrunk(int size, boolean shrink, InterpParameter p) {
    return shrink ? (size - 1) / p.getShrinkFactor() + 1 : size;
  }

  private static int zoomed(int size, boolean zoom, InterpParameter p) {
    return zoom ? size + (size - 1) * (p.getZoomFactor() - 1) : size;
  }

  @Override
  public void forward(List<Blob> bottom, List<Blob> top) {
    DataView x = bottom.get(0).dataView();
    DataView y = top.get(0).dataView();
    walk((outIndex, inIndex, weight) -> y.add(outIndex, weight * x.get(inIndex)), top.get(0));
  }

  @Override
  public void backward(List<Blob> top, boolean[] propagateDown, List<Blob> bottom) {
    check(bottom.size() == 1 || !propagateDown[1], "cannot backpropagate to the size bottom");
    if (!propagateDown[0]) {
      return;
    }
    DataView dy = top.get(0).diffView();
    DataView dx = bottom.get(0).diffView();
    bottom.get(0).diff().assign(0);
    walk((outIndex, inIndex, weight) -> dx.add(inIndex, weight * dy.get(outIndex)), null);
  }

  /** One of the four weighted input neighbours of an output element. */
  @FunctionalInterface
  private interface Tap {
    void apply(int outIndex, int inIndex, double weight);
  }

  /** Visits every output element's four input neighbours (zeroing {@code clear}'s values first). */
  private void walk(Tap tap, Blob clear) {
    if (clear != null) {
      clear.data().assign(0);
    }
    // float ratios, as the forks compute them
    float ratioH = outHeight > 1 ? (float) (effHeight - 1) / (outHeight - 1) : 0f;
    float ratioW = outWidth > 1 ? (float) (effWidth - 1) / (outWidth - 1) : 0f;
    for (int oy = 0; oy < outHeight; oy++) {
      float sy = ratioH * oy;
      int y0 = (int) sy;
      int dy = y0 < effHeight - 1 ? 1 : 0;
      double ly = sy - y0;
      for (int ox = 0; ox < outWidth; ox++) {
        float sx = ratioW * ox;
        int x0 = (int) sx;
        int dx = x0 < effWidth - 1 ? 1 : 0;
        double lx = sx - x0;
        int in = (y0 - padBeg) * width + x0 - padBeg;
        for (int p = 0; p < planes; p++) {
          int out = (p * outHeight + oy) * outWidth + ox;
          int base = p * height * width + in;
          tap.apply(out, base, (1 - ly) * (1 - lx));
          tap.apply(out, base + dx, (1 - ly) * lx);
          tap.apply(out, base + dy * width, ly * (1 - lx));
          tap.apply(out, base + dy * width + dx, ly * lx);
        }
      }
    }
  }
}
