package org.kaffee.export;

import java.util.List;
import org.kaffee.core.KaffeeException;
import org.kaffee.proto.Caffe.ConvolutionParameter;
import org.kaffee.proto.Caffe.PoolingParameter;

/** Kernel, stride, pad and dilation per spatial axis, read with Caffe's rules for each field. */
record Geometry(int[] kernel, int[] stride, int[] pad, int[] dilation) {

  static Geometry of(ConvolutionParameter p, int spatialAxes) {
    return new Geometry(
        axes(p.hasKernelH() || p.hasKernelW(), p.getKernelH(), p.getKernelW(), p.getKernelSizeList(), 0, spatialAxes),
        axes(p.hasStrideH() || p.hasStrideW(), p.getStrideH(), p.getStrideW(), p.getStrideList(), 1, spatialAxes),
        axes(p.hasPadH() || p.hasPadW(), p.getPadH(), p.getPadW(), p.getPadList(), 0, spatialAxes),
        axes(false, 0, 0, p.getDilationList(), 1, spatialAxes));
  }

  static Geometry of(PoolingParameter p) {
    int[] kernel = p.hasKernelH() ? new int[] {p.getKernelH(), p.getKernelW()}
        : new int[] {p.getKernelSize(), p.getKernelSize()};
    int[] stride = p.hasStrideH() ? new int[] {p.getStrideH(), p.getStrideW()}
        : new int[] {p.getStride(), p.getStride()};
    int[] pad = p.hasPadH() ? new int[] {p.getPadH(), p.getPadW()} : new int[] {p.getPad(), p.getPad()};
    return new Geometry(kernel, stride, pad, new int[] {1, 1});
  }

  /** ONNX's pads: every axis's begin, then every axis's end. */
  long[] symmetricPads() {
    long[] pads = new long[2 * pad.length];
    for (int i = 0; i < pad.length; i++) {
      pads[i] = pad[i];
      pads[i + pad.length] = pad[i];
    }
    return pads;
  }

  private static int[] axes(boolean hw, int h, int w, List<Integer> repeated, int fallback, int n) {
    if (hw) {
      return new int[] {h, w};
    }
    int[] values = new int[n];
    for (int i = 0; i < n; i++) {
      if (repeated.isEmpty()) {
        values[i] = fallback;
      } else if (repeated.size() == 1 || repeated.size() == n) {
        values[i] = repeated.get(repeated.size() == 1 ? 0 : i);
      } else {
        throw new KaffeeException("expected 1 or " + n + " values, got " + repeated.size());
      }
    }
    return values;
  }
}
