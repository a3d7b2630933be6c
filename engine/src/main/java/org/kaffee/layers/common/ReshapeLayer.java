package org.kaffee.layers.common;

import java.util.ArrayList;
import java.util.List;
import org.kaffee.core.Blob;
import org.kaffee.core.BlobCounts;
import org.kaffee.core.Layer;
import org.kaffee.proto.Caffe.BlobShape;
import org.kaffee.proto.Caffe.LayerParameter;
import org.kaffee.proto.Caffe.ReshapeParameter;

/**
 * Caffe's Reshape: replaces axes {@code [axis, axis + num_axes)} of the bottom by
 * {@code shape}, where a 0 copies the bottom's dimension and one -1 is inferred from the
 * count. The top shares the bottom's data and diff.
 */
public final class ReshapeLayer extends Layer {
  private final List<Integer> copyAxes = new ArrayList<>();
  private int inferredAxis = -1;

  public ReshapeLayer(LayerParameter param) {
    super(param, BlobCounts.of(1, 1));
  }

  @Override
  public String type() {
    return "Reshape";
  }

  @Override
  protected void layerSetUp(List<Blob> bottom, List<Blob> top) {
    check(top.get(0) != bottom.get(0), "Reshape layer does not allow in-place computation");
    BlobShape shape = param.getReshapeParam().getShape();
    for (int i = 0; i < shape.getDimCount(); i++) {
      long d = shape.getDim(i);
      if (d == 0) {
        copyAxes.add(i);
      } else if (d == -1) {
        check(inferredAxis == -1, "new shape contains multiple -1 dims; at most a single (1) "
            + "value of -1 may be specified");
        inferredAxis = i;
      } else {
        check(d > 0, "shape dim %d is %d; dims must be positive, 0 (copy) or -1 (infer)", i, d);
      }
    }
  }

  @Override
  public void reshape(List<Blob> bottom, List<Blob> top) {
    ReshapeParameter p = param.getReshapeParam();
    Blob b = bottom.get(0);
    int inAxes = b.numAxes();
    int axis = p.getAxis();
    int start = axis >= 0 ? axis : inAxes + axis + 1;
    check(start >= 0 && start <= inAxes, "axis %d out of range for a %d-axis bottom", axis, inAxes);
    int numAxes = p.getNumAxes();
    check(numAxes >= -1, "num_axes must be >= 0, or -1 for all, got %d", numAxes);
    int end = numAxes == -1 ? inAxes : start + numAxes;
    check(end <= inAxes, "end axis %d (axis %d + num_axes %d) beyond the bottom's %d axes", end,
        start, numAxes, inAxes);
    BlobShape shape = p.getShape();
    int newAxes = shape.getDimCount();
    int[] in = b.shape();
    int[] out = new int[start + newAxes + (inAxes - end)];
    int k = 0;
    for (int i = 0; i < start; i++) {
      out[k++] = in[i];
    }
    for (int i = 0; i < newAxes; i++) {
      out[k++] = (int) shape.getDim(i);
    }
    for (int i = end; i < inAxes; i++) {
      out[k++] = in[i];
    }
    for (int c : copyAxes) {
      check(start + c < inAxes, "new shape dim %d (0: copy) has no bottom axis to copy from", c);
      out[start + c] = in[start + c];
    }
    if (inferredAxis >= 0) {
      long explicit = 1;
      for (int i = 0; i < out.length; i++) {
        if (i != start + inferredAxis) {
          explicit *= out[i];
        }
      }
      check(explicit != 0 && b.count() % explicit == 0, "bottom count (%d) is not divisible by "
          + "the product of the specified dimensions (%d)", b.count(), explicit);
      out[start + inferredAxis] = (int) (b.count() / explicit);
    }
    top.get(0).reshape(out);
    check(top.get(0).count() == b.count(), "output count %d (%s) must match input count %d (%s)",
        top.get(0).count(), top.get(0).shapeString(), b.count(), b.shapeString());
    top.get(0).shareData(b);
    top.get(0).shareDiff(b);
  }

  @Override
  public void forward(List<Blob> bottom, List<Blob> top) {
  }

  @Override
  public void backward(List<Blob> top, boolean[] propagateDown, List<Blob> bottom) {
  }
}
