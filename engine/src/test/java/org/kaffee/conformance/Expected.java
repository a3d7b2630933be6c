package org.kaffee.conformance;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.lang.reflect.Array;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Caffe's recorded numbers of one conformance case (its expected.h5), read with jhdf. */
final class Expected implements AutoCloseable {
  private final HdfFile file;

  Expected(Path path) {
    file = new HdfFile(path);
  }

  boolean has(String path) {
    try {
      file.getByPath(path);
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** Names of the children of a group, or none when it is absent. */
  List<String> children(String path) {
    List<String> names = new ArrayList<>();
    if (!has(path)) {
      return names;
    }
    Node node = file.getByPath(path);
    if (node instanceof Group g) {
      names.addAll(g.getChildren().keySet());
    }
    return names;
  }

  double[] values(String path) {
    Dataset ds = (Dataset) file.getByPath(path);
    Object flat = ds.getDataFlat();
    double[] out = new double[Array.getLength(flat)];
    for (int i = 0; i < out.length; i++) {
      out[i] = ((Number) Array.get(flat, i)).doubleValue();
    }
    return out;
  }

  /**
   * Row {@code batch} of a {@code [batches, elements]} dataset. Rows are as wide as the largest
   * batch; a smaller batch (Filter) is padded with NaN, which is cut off here, so the length is
   * the element count of Caffe's blob in that batch.
   */
  double[] batch(String path, int batch) {
    double[] all = values(path);
    int width = dims(path)[1];
    int count = 0;
    while (count < width && !Double.isNaN(all[batch * width + count])) {
      count++;
    }
    return java.util.Arrays.copyOfRange(all, batch * width, batch * width + count);
  }

  int[] dims(String path) {
    return ((Dataset) file.getByPath(path)).getDimensions();
  }

  String attribute(String name) {
    var attr = file.getAttribute(name);
    return attr == null ? "" : String.valueOf(attr.getData());
  }

  @Override
  public void close() {
    file.close();
  }
}
