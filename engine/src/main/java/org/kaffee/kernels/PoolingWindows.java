package org.kaffee.kernels;

/**
 * The pooling windows along one spatial axis, computed once per reshape so every pooling
 * method and pass walks the same windows. Caffe reads only the part inside {@code [0, in)};
 * AVE divides by the window clipped to {@code in + pad} (padding counts).
 */
final class PoolingWindows {
  /** First input position read by output {@code i}. */
  int[] start = new int[0];
  /** One past the last input position read by output {@code i}. */
  int[] end = new int[0];
  /** Window length along this axis that the average divides by (padding included). */
  int[] divisorSpan = new int[0];

  void compute(int pooled, int in, int kernel, int stride, int pad) {
    if (start.length != pooled) {
      start = new int[pooled];
      end = new int[pooled];
      divisorSpan = new int[pooled];
    }
    for (int i = 0; i < pooled; i++) {
      int s = i * stride - pad;
      int e = Math.min(s + kernel, in + pad);
      divisorSpan[i] = e - s;
      start[i] = Math.max(s, 0);
      end[i] = Math.min(e, in);
    }
  }
}
