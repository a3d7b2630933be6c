package org.kaffee.layers.detection;

/**
 * SSD's NormalizedBBox: corners in [0, 1] of the image (unclipped boxes may leave it). Sizes and
 * overlaps are SSD's "normalized" ones: width times height, no +1 pixel.
 */
public record Box(double xmin, double ymin, double xmax, double ymax) {
  /** Width times height, 0 for an inverted box. */
  public double size() {
    if (xmax < xmin || ymax < ymin) {
      return 0;
    }
    return (xmax - xmin) * (ymax - ymin);
  }

  /** Intersection over union (SSD's JaccardOverlap), 0 for boxes that do not meet. */
  public double jaccard(Box other) {
    if (other.xmin > xmax || other.xmax < xmin || other.ymin > ymax || other.ymax < ymin) {
      return 0;
    }
    double w = Math.min(xmax, other.xmax) - Math.max(xmin, other.xmin);
    double h = Math.min(ymax, other.ymax) - Math.max(ymin, other.ymin);
    double intersection = w * h;
    return intersection / (size() + other.size() - intersection);
  }

  /** Whether a corner lies outside [0, 1] (SSD's IsCrossBoundaryBBox). */
  public boolean crossesBoundary() {
    return outsideUnit(xmin) || outsideUnit(ymin) || outsideUnit(xmax) || outsideUnit(ymax);
  }

  private static boolean outsideUnit(double v) {
    return v < 0 || v > 1;
  }
}
