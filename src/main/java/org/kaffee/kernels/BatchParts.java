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
    this.count = (int) Math.max(1, Math.min(PARTS, num));
    this.shape = shape.length == 0 ? null : shape;
  }

  int count() {
    return count;
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
      for (int p = 0; p < count; p++) {
        parts[p] = count == 1 ? shaped
            : shaped.get(NDArrayIndex.interval(p * num / count, (p + 1) * num / count));
      }
      views.put(whole, parts);
    }
    return parts;
  }
}
