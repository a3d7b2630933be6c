package org.kaffee.layers.detection;

import java.util.ArrayList;
import java.util.List;
import org.kaffee.core.Blob;
import org.kaffee.core.BlobCounts;
import org.kaffee.core.DataView;
import org.kaffee.core.Layer;
import org.kaffee.proto.Caffe.LayerParameter;
import org.kaffee.proto.Caffe.PriorBoxParameter;

/**
 * SSD's PriorBox (weiliu89/caffe): the default boxes of one feature map (bottom 0) for an image
 * (bottom 1, or img_size / img_h / img_w). At each cell centre ((w + offset) step_w, (h + offset)
 * step_h), for each min_size: a square of min_size, a square of sqrt(min_size max_size) when max
 * sizes are given, then one box per aspect ratio other than 1 (min_size sqrt(r) wide, min_size /
 * sqrt(r) high; flip adds 1 / r). Corners are divided by the image size and clipped to [0, 1] with
 * clip. The top is 1 x 2 x (boxes * 4): the corners, then each box's four variances. The step
 * defaults to image size / feature size. No backward: the boxes depend on shapes only.
 */
public final class PriorBoxLayer extends Layer {
  private final List<Double> minSizes = new ArrayList<>();
  private final List<Double> maxSizes = new ArrayList<>();
  private final List<Double> aspectRatios = new ArrayList<>();
  private final double[] variance;
  private final boolean clip;
  private final int imageH;
  private final int imageW;
  private final double stepH;
  private final double stepW;
  private final double offset;

  public PriorBoxLayer(LayerParameter param) {
    super(param, BlobCounts.of(2, 1));
    PriorBoxParameter p = param.getPriorBoxParam();
    check(p.getMinSizeCount() > 0, "must provide min_size");
    for (float s : p.getMinSizeList()) {
      check(s > 0, "min_size must be positive, got %s", s);
      minSizes.add((double) s);
    }
    check(p.getMaxSizeCount() == 0 || p.getMaxSizeCount() == p.getMinSizeCount(),
        "give one max_size per min_size (%d min_size, %d max_size)", p.getMinSizeCount(), p.getMaxSizeCount());
    for (int i = 0; i < p.getMaxSizeCount(); i++) {
      check(p.getMaxSize(i) > p.getMinSize(i), "max_size %s must be greater than min_size %s",
          p.getMaxSize(i), p.getMinSize(i));
      maxSizes.add((double) p.getMaxSize(i));
    }
    aspectRatios.add(1.0);
    for (float r : p.getAspectRatioList()) {
      if (aspectRatios.stream().noneMatch(known -> Math.abs(r - known) < 1e-6)) {
        aspectRatios.add((double) r);
        if (p.getFlip()) {
          aspectRatios.add(1.0 / r);
        }
      }
    }
    variance = variances(p);
    clip = p.getClip();
    check(!(p.hasImgSize() && (p.hasImgH() || p.hasImgW())), "give img_size or img_h/img_w, not both");
    imageH = p.hasImgSize() ? p.getImgSize() : p.getImgH();
    imageW = p.hasImgSize() ? p.getImgSize() : p.getImgW();
    check(!(p.hasStep() && (p.hasStepH() || p.hasStepW())), "give step or step_h/step_w, not both");
    stepH = p.hasStep() ? p.getStep() : p.getStepH();
    stepW = p.hasStep() ? p.getStep() : p.getStepW();
    offset = p.getOffset();
  }

  private double[] variances(PriorBoxParameter p) {
    check(p.getVarianceCount() <= 1 || p.getVarianceCount() == 4, "give 1 or 4 variances, got %d",
        p.getVarianceCount());
    double[] v = new double[4];
    for (int i = 0; i < 4; i++) {
      v[i] = p.getVarianceCount() == 0 ? 0.1 : p.getVariance(p.getVarianceCount() == 1 ? 0 : i);
      check(v[i] > 0, "variances must be positive, got %s", v[i]);
    }
    return v;
  }

  @Override
  public String type() {
    return "PriorBox";
  }

  /** Boxes per feature map cell. */
  int boxesPerCell() {
    return minSizes.size() * aspectRatios.size() + maxSizes.size();
  }

  @Override
  public void reshape(List<Blob> bottom, List<Blob> top) {
    Blob feature = bottom.get(0);
    check(feature.numAxes() == 4, "the feature map needs 4 axes, got %s", feature.shapeString());
    top.get(0).reshape(1, 2, feature.shape(2) * feature.shape(3) * boxesPerCell() * 4);
  }

  @Override
  public void forward(List<Blob> bottom, List<Blob> top) {
    int layerH = bottom.get(0).shape(2);
    int layerW = bottom.get(0).shape(3);
    int imgH = imageH == 0 ? bottom.get(1).shape(2) : imageH;
    int imgW = imageW == 0 ? bottom.get(1).shape(3) : imageW;
    // float steps and centres, as SSD computes them
    float sh = stepH == 0 ? (float) imgH / layerH : (float) stepH;
    float sw = stepW == 0 ? (float) imgW / layerW : (float) stepW;
    DataView out = top.get(0).dataView();
    int[] at = {0};
    for (int h = 0; h < layerH; h++) {
      for (int w = 0; w < layerW; w++) {
        float cx = (float) ((w + offset) * sw);
        float cy = (float) ((h + offset) * sh);
        for (int s = 0; s < minSizes.size(); s++) {
          double min = minSizes.get(s);
          put(out, at, cx, cy, min, min, imgW, imgH);
          if (!maxSizes.isEmpty()) {
            double side = Math.sqrt(min * maxSizes.get(s));
            put(out, at, cx, cy, side, side, imgW, imgH);
          }
          for (double r : aspectRatios) {
            if (Math.abs(r - 1) >= 1e-6) {
              put(out, at, cx, cy, min * Math.sqrt(r), min / Math.sqrt(r), imgW, imgH);
            }
          }
        }
      }
    }
    int corners = at[0];
    for (int i = 0; i < corners; i++) {
      out.set(corners + i, variance[i % 4]);
    }
  }

  private void put(DataView out, int[] at, double cx, double cy, double boxW, double boxH, int imgW, int imgH) {
    double[] corners = {(cx - boxW / 2) / imgW, (cy - boxH / 2) / imgH, (cx + boxW / 2) / imgW,
        (cy + boxH / 2) / imgH};
    for (double v : corners) {
      out.set(at[0]++, clip ? Math.min(Math.max(v, 0), 1) : v);
    }
  }

  @Override
  public void backward(List<Blob> top, boolean[] propagateDown, List<Blob> bottom) {
    // the priors depend on the bottoms' shapes only: their gradient is 0
    for (int i = 0; i < bottom.size(); i++) {
      if (propagateDown[i]) {
        bottom.get(i).diff().assign(0);
      }
    }
  }
}
