package org.kaffee.spark;

import java.util.ArrayList;
import java.util.List;
import org.kaffee.core.KaffeeException;
import org.kaffee.core.LayerRegistry;
import org.kaffee.io.NetFiles;
import org.kaffee.io.WorkDir;
import org.kaffee.proto.Caffe.LayerParameter;
import org.kaffee.proto.Caffe.NetParameter;
import org.kaffee.proto.Caffe.PythonParameter;
import org.kaffee.proto.Caffe.SolverParameter;

/**
 * Refuses, before any task starts, a solver whose nets hold a {@code type: "Python"} layer that
 * only Python can run: Spark's executors are JVMs without the Python package (Caffe refuses
 * multi-GPU training with Python layers too). A layer a Java plugin provides runs anywhere.
 */
final class PythonLayersOnSpark {
  private PythonLayersOnSpark() {
  }

  static void refuse(SolverParameter solver) {
    for (NetParameter net : nets(solver)) {
      for (LayerParameter layer : net.getLayerList()) {
        PythonParameter python = layer.getPythonParam();
        KaffeeException.check(!layer.getType().equals(LayerRegistry.PYTHON) || LayerRegistry.hasJavaLayer(python),
            "layer %s (Python %s.%s) cannot run on Spark: its executors run Java layers only; train it without"
                + " --spark-master (one worker), or give it a Java plugin layer (README: Custom layers as plugins)",
            layer.getName(), python.getModule(), python.getLayer());
      }
    }
  }

  /** The train net and the test nets of their own (the generic net is the train net). */
  private static List<NetParameter> nets(SolverParameter solver) {
    List<NetParameter> nets = new ArrayList<>();
    nets.add(TrainNets.trainNet(solver));
    nets.addAll(solver.getTestNetParamList());
    for (String file : solver.getTestNetList()) {
      nets.add(NetFiles.readNetText(WorkDir.resolve(file)));
    }
    return nets;
  }
}
