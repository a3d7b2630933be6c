package org.kaffee.spark;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kaffee.core.KaffeeException;
import org.kaffee.core.LayerRegistry;
import org.kaffee.io.ProtoFiles;
import org.kaffee.proto.Caffe.SolverParameter;
import org.kaffee.testing.PluginJarBuilder;

/** Spark training refuses, in one line and before any task, Python layers only Python can run. */
class PythonLayersOnSparkTest {
  private static final String INPUT = "layer { name: 'data' type: 'Input' top: 'x' input_param { shape { dim: 2 dim: 3 } } }";
  private static final String MISH = "layer { name: 'act' type: 'Python' bottom: 'x' top: 'y'"
      + " python_param { module: 'mish_layers' layer: 'Mish' param_str: '1' } }";
  private static final String REFUSAL = "layer act (Python mish_layers.Mish) cannot run on Spark: its executors"
      + " run Java layers only; train it without --spark-master (one worker), or give it a Java plugin layer"
      + " (README: Custom layers as plugins)";

  @TempDir
  Path dir;

  @AfterEach
  void kaffeesOwnLayersOnly() {
    LayerRegistry.usePlugins(List.of());
  }

  private static SolverParameter solver(String text) {
    return ProtoFiles.parseText(text + " base_lr: 0.1", "solver", SolverParameter.newBuilder()).build();
  }

  @Test
  void aPythonLayerInTheTrainNetIsRefused() {
    KaffeeException e = assertThrows(KaffeeException.class,
        () -> PythonLayersOnSpark.refuse(solver("net_param { " + INPUT + MISH + " }")));
    assertEquals(REFUSAL, e.getMessage());
  }

  @Test
  void aPythonLayerInATestNetFileIsRefused() throws Exception {
    Path test = Files.writeString(dir.resolve("test.prototxt"), INPUT + MISH);
    SolverParameter solver = solver("train_net_param { " + INPUT + " } test_net: '" + test + "' test_iter: 1"
        + " test_interval: 10");
    assertEquals(REFUSAL, assertThrows(KaffeeException.class, () -> PythonLayersOnSpark.refuse(solver)).getMessage());
  }

  @Test
  void netsWithoutPythonLayersPass() {
    assertDoesNotThrow(() -> PythonLayersOnSpark.refuse(solver("net_param { " + INPUT + " }")));
  }

  @Test
  void aPythonLayerAJavaPluginProvidesPasses() throws Exception {
    LayerRegistry.usePlugins(List.of(PluginJarBuilder.build(Path.of("examples", "plugin"), dir.resolve("mish.jar"))));
    assertDoesNotThrow(() -> PythonLayersOnSpark.refuse(solver("net_param { " + INPUT + MISH + " }")));
  }
}
