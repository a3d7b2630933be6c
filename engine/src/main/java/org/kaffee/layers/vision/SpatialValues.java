package org.kaffee.layers.vision;

import java.util.List;
import org.kaffee.proto.Caffe.ConvolutionParameter;

/**
 * Reads the per-spatial-axis fields of a convolution_param as Caffe does: the {@code _h}/{@code
 * _w} pair (2-D only), else one value for every axis or one per axis. Convolution and Im2col
 * read stride, pad and dilation through it, so both accept and reject the same settings.
 */
final class SpatialValues {
  /** The layer's check, so a failure names the layer. */
  @FunctionalInterface
  interface Check {
    void check(boolean condition, String format, Object... args);
  }

  private final int numSpatial;
  private final Check check;

  SpatialValues(int numSpatial, Check check) {
    this.numSpatial = numSpatial;
    this.check = check;
  }

  int[] stride(ConvolutionParameter p) {
    return read(p.hasStrideH() || p.hasStrideW(), p.getStrideH(), p.getStrideW(), p.getStrideList(),
        1, "stride");
  }

  int[] pad(ConvolutionParameter p) {
    return read(p.hasPadH() || p.hasPadW(), p.getPadH(), p.getPadW(), p.getPadList(), 0, "pad");
  }

  int[] dilation(ConvolutionParameter p) {
    return read(false, 0, 0, p.getDilationList(), 1, "dilation");
  }

  /** The values of field {@code name}; a negative {@code dflt} means the field must be given. */
  int[] read(boolean hw, int h, int w, List<Integer> list, int dflt, String name) {
    int[] v = new int[numSpatial];
    if (hw) {
      check.check(numSpatial == 2, "%s_h & %s_w can only be used for 2D convolution", name, name);
      check.check(list.isEmpty(), "either %s or %s_h/w should be specified; not both", name, name);
      v[0] = h;
      v[1] = w;
      return v;
    }
    int n = list.size();
    check.check(n == 1 || n == numSpatial || (n == 0 && dflt >= 0),
        "%s must be specified once, or once per spatial dimension (got %d for %d axes)", name, n,
        numSpatial);
    for (int i = 0; i < numSpatial; i++) {
      v[i] = n == 0 ? dflt : list.get(n == 1 ? 0 : i);
    }
    return v;
  }
}
