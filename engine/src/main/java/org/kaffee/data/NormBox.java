package org.kaffee.data;

import org.kaffee.proto.Caffe.EmitConstraint;
import org.kaffee.proto.Caffe.NormalizedBBox;

/**
 * SSD's NormalizedBBox as its data path computes with it: corners as fractions of the image, in
 * float arithmetic as the fork's bbox_util does (its sampler and crops compare these floats).
 * Sizes are width times height with no +1 pixel; an inverted box has size 0.
 */
public record NormBox(float xmin, float ymin, float xmax, float ymax, boolean difficult) {
  /** The whole image. */
  public static final NormBox UNIT = new NormBox(0, 0, 1, 1, false);

  public static NormBox of(NormalizedBBox b) {
    return new NormBox(b.getXmin(), b.getYmin(), b.getXmax(), b.getYmax(), b.getDifficult());
  }

  public NormalizedBBox toProto() {
    return NormalizedBBox.newBuilder().setXmin(xmin).setYmin(ymin).setXmax(xmax).setYmax(ymax)
        .setDifficult(difficult).build();
  }

  public float size() {
    return xmax < xmin || ymax < ymin ? 0 : (xmax - xmin) * (ymax - ymin);
  }

  /** Every corner clamped to [0, 1]. */
  public NormBox clip() {
    return new NormBox(clamp(xmin), clamp(ymin), clamp(xmax), clamp(ymax), difficult);
  }

  private static float clamp(float v) {
    return Math.max(Math.min(v, 1f), 0f);
  }

  /** The common part, or the empty box at 0 when they do not meet (IntersectBBox). */
  public NormBox intersect(NormBox o) {
    if (o.xmin > xmax || o.xmax < xmin || o.ymin > ymax || o.ymax < ymin) {
      return new NormBox(0, 0, 0, 0, false);
    }
    return new NormBox(Math.max(xmin, o.xmin), Math.max(ymin, o.ymin), Math.min(xmax, o.xmax),
        Math.min(ymax, o.ymax), false);
  }

  /** Intersection over union (JaccardOverlap). */
  public float jaccard(NormBox o) {
    NormBox i = intersect(o);
    float w = i.xmax - i.xmin;
    float h = i.ymax - i.ymin;
    if (w <= 0 || h <= 0) {
      return 0;
    }
    float inter = w * h;
    return inter / (size() + o.size() - inter);
  }

  /** The fraction of this box that {@code o} covers (BBoxCoverage(this, o)). */
  public float coveredBy(NormBox o) {
    float inter = intersect(o).size();
    return inter > 0 ? inter / size() : 0;
  }

  /** {@code inner}, given in this box's coordinates, in the coordinates this box is given in (LocateBBox). */
  public NormBox locate(NormBox inner) {
    float w = xmax - xmin;
    float h = ymax - ymin;
    return new NormBox(xmin + inner.xmin * w, ymin + inner.ymin * h, xmin + inner.xmax * w, ymin + inner.ymax * h,
        inner.difficult);
  }

  /**
   * {@code box} in this box's coordinates, clipped to it (ProjectBBox); null when it lies outside
   * or its clipped part is empty.
   */
  public NormBox project(NormBox box) {
    if (box.xmin >= xmax || box.xmax <= xmin || box.ymin >= ymax || box.ymax <= ymin) {
      return null;
    }
    float w = xmax - xmin;
    float h = ymax - ymin;
    NormBox p = new NormBox((box.xmin - xmin) / w, (box.ymin - ymin) / h, (box.xmax - xmin) / w,
        (box.ymax - ymin) / h, box.difficult).clip();
    return p.size() > 0 ? p : null;
  }

  /** Left and right swapped, as a horizontal flip of the image moves the box. */
  public NormBox mirror() {
    return new NormBox(1 - xmax, ymin, 1 - xmin, ymax, difficult);
  }

  /**
   * Whether a crop to this box keeps {@code box} (MeetEmitConstraint): CENTER keeps a box whose
   * centre lies in the crop, MIN_OVERLAP one the crop covers by more than {@code emit_overlap}.
   */
  public boolean emits(NormBox box, EmitConstraint c) {
    if (c.getEmitType() == EmitConstraint.EmitType.MIN_OVERLAP) {
      return box.coveredBy(this) > c.getEmitOverlap();
    }
    float cx = (box.xmin + box.xmax) / 2;
    float cy = (box.ymin + box.ymax) / 2;
    return cx >= xmin && cx <= xmax && cy >= ymin && cy <= ymax;
  }
}
