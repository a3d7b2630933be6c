package org.kaffee.layers.detection;

/**
 * A box as SSD's evaluation holds it (NormalizedBBox with its cached size): float corners, the
 * detection's score or the ground truth's difficult flag, and the size the fork stored when the
 * box was made, which its overlaps use (width times height in [0, 1] units; in pixels,
 * (width + 1) times (height + 1)).
 */
public record ScoredBox(float xmin, float ymin, float xmax, float ymax, float score, boolean difficult, float size) {
  /** A box in [0, 1] units, sized as the fork's BBoxSize does. */
  public static ScoredBox normalized(float xmin, float ymin, float xmax, float ymax, float score, boolean difficult) {
    return new ScoredBox(xmin, ymin, xmax, ymax, score, difficult, size(xmin, ymin, xmax, ymax, true));
  }

  private static float size(float xmin, float ymin, float xmax, float ymax, boolean normalized) {
    if (xmax < xmin || ymax < ymin) {
      return 0;
    }
    float w = xmax - xmin;
    float h = ymax - ymin;
    return normalized ? w * h : (w + 1) * (h + 1);
  }

  /** The box clipped to the image and scaled to its pixels (the fork's OutputBBox, WARP). */
  public ScoredBox inPixels(int[] heightWidth) {
    int height = heightWidth[0];
    int width = heightWidth[1];
    float x0 = clip(xmin) * width;
    float y0 = clip(ymin) * height;
    float x1 = clip(xmax) * width;
    float y1 = clip(ymax) * height;
    boolean normalized = !(width > 1 || height > 1);
    return new ScoredBox(x0, y0, x1, y1, score, difficult, size(x0, y0, x1, y1, normalized));
  }

  private static float clip(float v) {
    return Math.max(Math.min(v, 1f), 0f);
  }

  /**
   * The fork's JaccardOverlap over the stored sizes. In pixels the intersection gains a pixel
   * each way, so boxes that do not meet (intersection [0, 0, 0, 0]) still share one pixel there,
   * as in the fork; no such overlap reaches a useful threshold.
   */
  public float jaccard(ScoredBox o, boolean normalized) {
    float ix0 = 0;
    float iy0 = 0;
    float ix1 = 0;
    float iy1 = 0;
    if (!(o.xmin > xmax || o.xmax < xmin || o.ymin > ymax || o.ymax < ymin)) {
      ix0 = Math.max(xmin, o.xmin);
      iy0 = Math.max(ymin, o.ymin);
      ix1 = Math.min(xmax, o.xmax);
      iy1 = Math.min(ymax, o.ymax);
    }
    float w = ix1 - ix0 + (normalized ? 0 : 1);
    float h = iy1 - iy0 + (normalized ? 0 : 1);
    if (w <= 0 || h <= 0) {
      return 0;
    }
    float intersection = w * h;
    return intersection / (size + o.size - intersection);
  }
}
