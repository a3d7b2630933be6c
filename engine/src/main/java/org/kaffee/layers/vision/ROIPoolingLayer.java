package org.kaffee.layers.vision;

import java.util.List;
import org.kaffee.core.Blob;
import org.kaffee.core.BlobCounts;
import org.kaffee.core.DataView;
import org.kaffee.core.Layer;
import org.kaffee.proto.Caffe.LayerParameter;
import org.kaffee.proto.Caffe.ROIPoolingParameter;

/**
 * Fast R-CNN's ROIPooling (rbgirshick/caffe-fast-rcnn): bottoms are the feature maps N x C x H x W
 * and the regions R x 5 ({@code batch_index, x1, y1, x2, y2} in image pixels); each region,
 * scaled by spatial_scale and rounded (half away from zero, as C's round), is split into a
 * pooled_h x pooled_w grid of bins (floor of the start, ceil of the end) and each bin keeps its
 * maximum (0 for an empty bin). Backward adds each top gradient to the element that was the
 * maximum; the regions get no gradient.
 */
public final class ROIPoolingLayer extends Layer {
  private final int pooledH;
  private final int pooledW;
  private final double spatialScale;
  private int channels;
  private int height;
  private int width;
  /** The flat bottom index each top element took its maximum from, -1 for an empty bin. */
  private int[] argmax = new int[0];

  public ROIPoolingLayer(LayerParameter param) {
    super(param, BlobCounts.of(2, 1));
    ROIPoolingParameter p = param.getRoiPoolingParam();
    pooledH = p.getPooledH();
    pooledW = p.getPooledW();
    spatialScale = p.getSpatialScale();
  }

  @Override
  public String type() {
    return "ROIPooling";
  }

  @Override
  public boolean allowForceBackward(int bottomIndex) {
    return bottomIndex == 0;
  }

  @Override
  public void reshape(List<Blob> bottom, List<Blob> top) {
    check(pooledH > 0 && pooledW > 0, "pooled_h and pooled_w must be positive, got %d x %d", pooledH, pooledW);
    Blob data = bottom.get(0);
    Blob rois = bottom.get(1);
    check(data.numAxes() == 4, "the features need 4 axes, got %s", data.shapeString());
    check(rois.numAxes() >= 2 && rois.count(1) == 5, "the regions must be R x 5, got %s", rois.shapeString());
    channels = data.shape(1);
    height = data.shape(2);
    width = data.shape(3);
    top.get(0).reshape(rois.shape(0), channels, pooledH, pooledW);
    if (argmax.length != top.get(0).count()) {
      argmax = new int[top.get(0).count()];
    }
  }

  @Override
  public void forward(List<Blob> bottom, List<Blob> top) {
    DataView x = bottom.get(0).dataView();
    DataView rois = bottom.get(1).dataView();
    DataView y = top.get(0).dataView();
    int regions = bottom.get(1).shape(0);
    int num = bottom.get(0).shape(0);
    for (int r = 0; r < regions; r++) {
      int image = (int) rois.get(r * 5);
      check(image >= 0 && image < num, "region %d names image %d of a batch of %d", r, image, num);
      int startW = round(rois.get(r * 5 + 1) * spatialScale);
      int startH = round(rois.get(r * 5 + 2) * spatialScale);
      int endW = round(rois.get(r * 5 + 3) * spatialScale);
      int endH = round(rois.get(r * 5 + 4) * spatialScale);
      // bin sizes in float, as the fork's Dtype arithmetic
      float binH = (float) Math.max(endH - startH + 1, 1) / pooledH;
      float binW = (float) Math.max(endW - startW + 1, 1) / pooledW;
      for (int c = 0; c < channels; c++) {
        int plane = (image * channels + c) * height * width;
        for (int ph = 0; ph < pooledH; ph++) {
          int h0 = clamp((int) Math.floor(ph * binH) + startH, height);
          int h1 = clamp((int) Math.ceil((ph + 1) * binH) + startH, height);
          for (int pw = 0; pw < pooledW; pw++) {
            int w0 = clamp((int) Math.floor(pw * binW) + startW, width);
            int w1 = clamp((int) Math.ceil((pw + 1) * binW) + startW, width);
            int out = ((r * channels + c) * pooledH + ph) * pooledW + pw;
            double best = h1 <= h0 || w1 <= w0 ? 0 : Double.NEGATIVE_INFINITY;
            int bestIndex = -1;
            for (int h = h0; h < h1; h++) {
              for (int w = w0; w < w1; w++) {
                int i = plane + h * width + w;
                if (x.get(i) > best) {
                  best = x.get(i);
                  bestIndex = i;
                }
              }
            }
            y.set(out, best);
            argmax[out] = bestIndex;
          }
        }
      }
    }
  }

  @Override
  public void backward(List<Blob> top, boolean[] propagateDown, List<Blob> bottom) {
    check(!propagateDown[1], "cannot backpropagate to the regions");
    if (!propagateDown[0]) {
      return;
    }
    DataView dy = top.get(0).diffView();
    DataView dx = bottom.get(0).diffView();
    bottom.get(0).diff().assign(0);
    for (int i = 0; i < argmax.length; i++) {
      if (argmax[i] >= 0) {
        dx.add(argmax[i], dy.get(i));
      }
    }
  }

  private static int clamp(int v, int size) {
    return Math.min(Math.max(v, 0), size);
  }

  /** C's round(): halves away from zero (Math.round takes -2.5 to -2). */
  private static int round(double v) {
    return (int) (Math.signum(v) * Math.floor(Math.abs(v) + 0.5));
  }
}
