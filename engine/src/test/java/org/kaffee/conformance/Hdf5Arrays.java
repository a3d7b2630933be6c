package org.kaffee.conformance;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.lang.reflect.Array;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The numeric datasets of an HDF5 file (Caffe's or Kaffee's), by path, with their shapes. */
final class Hdf5Arrays {
  record Values(int[] shape, double[] data) {
  }

  private Hdf5Arrays() {
  }

  static Map<String, Values> read(Path file) {
    Map<String, Values> out = new LinkedHashMap<>();
    try (HdfFile hdf = new HdfFile(file)) {
      collect(hdf, "", out);
    }
    return out;
  }

  /** Differences in dataset names, shapes and values, each as one line; empty when equal. */
  static List<String> compare(String what, Path caffe, Path kaffee, Tolerance tolerance) {
    Map<String, Values> c = read(caffe);
    Map<String, Values> k = read(kaffee);
    if (!c.keySet().equals(k.keySet())) {
      return List.of(what + ": Caffe stores " + c.keySet() + ", Kaffee " + k.keySet());
    }
    List<String> failures = new java.util.ArrayList<>();
    for (String key : c.keySet()) {
      if (!Arrays.equals(c.get(key).shape(), k.get(key).shape())) {
        failures.add(what + " " + key + ": Caffe's shape " + Arrays.toString(c.get(key).shape())
            + ", Kaffee's " + Arrays.toString(k.get(key).shape()));
        continue;
      }
      String error = tolerance.compare(what + " " + key, c.get(key).data(), k.get(key).data());
      if (error != null) {
        failures.add(error);
      }
    }
    return failures;
  }

  private static void collect(Group group, String prefix, Map<String, Values> out) {
    for (Map.Entry<String, Node> e : group.getChildren().entrySet()) {
      String path = prefix + e.getKey();
      if (e.getValue() instanceof Group g) {
        collect(g, path + "/", out);
      } else if (e.getValue() instanceof Dataset ds && ds.getJavaType() != String.class) {
        Object flat = ds.getDataFlat();
        double[] v = new double[Array.getLength(flat)];
        for (int i = 0; i < v.length; i++) {
          v[i] = ((Number) Array.get(flat, i)).doubleValue();
        }
        out.put(path, new Values(ds.getDimensions(), v));
      }
    }
  }
}
