package org.kaffee.conformance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.kaffee.io.ProtoFiles;
import org.kaffee.proto.Caffe.BlobProto;
import org.kaffee.proto.Caffe.LayerParameter;
import org.kaffee.proto.Caffe.NetParameter;
import org.kaffee.proto.Caffe.SolverState;

/** The snapshots Caffe wrote for a case (binary or HDF5), compared with the ones Kaffee writes. */
final class CaffeSnapshots {
  private CaffeSnapshots() {
  }

  /** Names of the snapshot files in a case directory ({@code prefix_iter_N.caffemodel} etc.). */
  static List<String> recorded(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString())
          .filter(n -> n.matches(".*_iter_\\d+\\.(caffemodel|solverstate)(\\.h5)?")).sorted().toList();
    }
  }

  static void compare(String name, Path caffe, Path kaffee, List<String> failures) {
    if (!Files.exists(kaffee)) {
      failures.add("Kaffee wrote no " + name);
      return;
    }
    Map<String, double[]> c = arrays(caffe);
    Map<String, double[]> k = arrays(kaffee);
    if (!c.keySet().equals(k.keySet())) {
      failures.add(name + ": Caffe stores " + c.keySet() + ", Kaffee " + k.keySet());
      return;
    }
    for (String key : c.keySet()) {
      String error = Tolerance.GRADIENT.compare(name + " " + key, c.get(key), k.get(key));
      if (error != null) {
        failures.add(error);
      }
    }
  }

  /**
   * The numeric arrays of a snapshot, by a name that is the same for Caffe's and Kaffee's; not
   * Kaffee's resume state (a field or dataset of its own, which Caffe does not read).
   */
  static Map<String, double[]> arrays(Path file) {
    Map<String, double[]> out = new LinkedHashMap<>();
    String name = file.getFileName().toString();
    if (name.endsWith(".h5")) {
      Hdf5Arrays.read(file).forEach((key, values) -> out.put(key, values.data()));
      out.remove("kaffee_resume_state");
      return out;
    }
    if (name.endsWith(".solverstate")) {
      SolverState state = ProtoFiles.readBinary(file, SolverState.newBuilder(), "solverstate").build();
      out.put("iter", new double[] {state.getIter()});
      out.put("current_step", new double[] {state.getCurrentStep()});
      for (int i = 0; i < state.getHistoryCount(); i++) {
        out.put("history/" + i, values(state.getHistory(i)));
      }
      return out;
    }
    NetParameter net = ProtoFiles.readBinary(file, NetParameter.newBuilder(), "caffemodel").build();
    for (LayerParameter layer : net.getLayerList()) {
      for (int i = 0; i < layer.getBlobsCount(); i++) {
        out.put(layer.getName() + "/" + i, values(layer.getBlobs(i)));
      }
    }
    return out;
  }

  private static double[] values(BlobProto blob) {
    double[] v = new double[blob.getDataCount()];
    for (int i = 0; i < v.length; i++) {
      v[i] = blob.getData(i);
    }
    return v;
  }

}
