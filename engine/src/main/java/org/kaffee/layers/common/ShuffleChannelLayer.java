package org.kaffee.layers.common;

import java.util.List;
import org.kaffee.core.Blob;
import org.kaffee.core.BlobCounts;
import org.kaffee.core.DataView;
import org.kaffee.core.Layer;
import org.kaffee.proto.Caffe.LayerParameter;

/**
 * ShuffleNet's ShuffleChannel (farmingyard/ShuffleNet): the C channels, seen as a group x (C /
 * group) matrix of planes, are transposed, so channel {@code i * C/group + j} moves to
 * {@code j * group + i}. Backward moves the gradients back by the inverse transposition.
 */
public final class ShuffleChannelLayer extends Layer {
  private final int group;
  private int num;
  private int perGroup;
  private int plane;

  public ShuffleChannelLayer(LayerParameter param) {
    super(param, BlobCounts.of(1, 1));
    group = param.getShuffleChannelParam().getGroup();
  }

  @Override
  public String type() {
    return "ShuffleChannel";
  }

  @Override
  public void reshape(List<Blob> bottom, List<Blob> top) {
    Blob b = bottom.get(0);
    check(b.numAxes() >= 2, "needs a bottom with a channel axis, got %s", b.shapeString());
    check(group > 0, "group must be positive, got %d", group);
    int channels = b.shape(1);
    check(channels % group == 0, "%d channels do not split into %d groups", channels, group);
    check(top.get(0) != b, "cannot run in place");
    num = b.shape(0);
    perGroup = channels / group;
    plane = b.count(2);
    top.get(0).reshapeLike(b);
  }

  @Override
  public void forward(List<Blob> bottom, List<Blob> top) {
    transpose(bottom.get(0).dataView(), top.get(0).dataView(), group, perGroup);
  }

  @Override
  public void backward(List<Blob> top, boolean[] propagateDown, List<Blob> bottom) {
    if (propagateDown[0]) {
      transpose(top.get(0).diffView(), bottom.get(0).diffView(), perGroup, group);
    }
  }

  /** Plane (r, c) of a rows x cols grid of planes in {@code from} goes to (c, r) in {@code to}. */
  private void transpose(DataView from, DataView to, int rows, int cols) {
    int image = rows * cols * plane;
    for (int n = 0; n < num; n++) {
      int base = n * image;
      for (int r = 0; r < rows; r++) {
        for (int c = 0; c < cols; c++) {
          int src = base + (r * cols + c) * plane;
          int dst = base + (c * rows + r) * plane;
          for (int k = 0; k < plane; k++) {
            to.set(dst + k, from.get(src + k));
          }
        }
      }
    }
  }
}
