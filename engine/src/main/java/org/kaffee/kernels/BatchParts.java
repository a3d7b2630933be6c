package org.kaffee.kernels;

import java.util.IdentityHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The batch parts of [num, ...] arrays, for engines that run one op per part on the cores: part
 * {@code p} of {@code P} holds images {@code [p * num / P, (p + 1) * num / P)}. The views are
 * kept while a blob keeps its array (new views on every pass would be garbage and native shape
 * buffers each time); a fixed part count keeps results independent of the number of cores.
 */
final class BatchParts {
  /** Parts of a batch: two cores here. */
  static final int PARTS = 2;

  private final long num;
  private final int count;
  private final long[] shape;
  /** Part views by the array they view (identity: a blob's reshape may replace its array). */
  private final Map<INDArray, INDArray[]> views = new IdentityHashMap<>();

  /** Parts of arrays of {@code num} images, each array first viewed as {@code shape} when given. */
  BatchParts(long num, long... shape) {
    this.num = num;
    this.count = count(num);
    this.shape = shape.length == 0 ? null : shape;
  }

  int count() {
    return count;
  }

  /** How many parts {@code n} items make: {@link #PARTS}, or fewer when there are fewer items. */
  static int count(long n) {
    return (int) Math.max(1, Math.min(PARTS, n));
  }

  /** Where part {@code p} of {@code parts} parts of {@code n} items starts ({@code n} for p = parts). */
  static long start(int p, long n, int parts) {
    return p * n / parts;
  }

  /** Every part's start, and {@code n} last: part p is {@code [b[p], b[p + 1])}. */
  static long[] bounds(long n, int parts) {
    long[] b = new long[parts + 1];
    for (int p = 0; p <= parts; p++) {
      b[p] = start(p, n, parts);
    }
    return b;
  }

  /** The parts of {@code whole}; called from the thread that then hands them to the workers. */
  INDArray[] of(INDArray whole) {
    INDArray[] parts = views.get(whole);
    if (parts == null) {
      if (views.size() >= 8) {
        views.clear(); // views of arrays the blobs have let go of
      }
      INDArray shaped = shape == null ? whole : whole.reshape('c', shape);
      parts = new INDArray[count];
      long[] b = bounds(num, count);
      for (int p = 0; p < count; p++) {
        parts[p] = count == 1 ? shaped : shaped.get(NDArrayIndex.interval(b[p], b[p + 1]));
      }
      views.put(whole, parts);
    }
    return parts;
  }
}
