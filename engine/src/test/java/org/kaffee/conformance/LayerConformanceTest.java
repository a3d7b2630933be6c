package org.kaffee.conformance;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.kaffee.core.Blob;
import org.kaffee.core.LayerRegistry;
import org.kaffee.core.Net;
import org.kaffee.core.Rng;
import org.kaffee.io.NetFiles;
import org.kaffee.io.WorkDir;
import org.kaffee.log.Glog;
import org.kaffee.proto.Caffe.LayerParameter;
import org.kaffee.proto.Caffe.NetParameter;
import org.kaffee.proto.Caffe.Phase;
import org.kaffee.solver.Solver;
import org.kaffee.solver.SolverNets;
import org.kaffee.solver.Solvers;
import org.opentest4j.AssertionFailedError;

/**
 * Runs every case recorded with real Caffe under conformance/layers: the {@code caffe test}
 * lines of its cmd.txt (each output of each batch against Caffe's) and the gradient of its
 * one-step {@code caffe train} (lr 1, no momentum or decay, so {@code init - after} is
 * {@code lr_mult * gradient}). A case whose layer types Kaffee lacks fails, naming them.
 */
class LayerConformanceTest {
  /** The recorded cases as files (the suite runs from the repository's root, in every module). */
  static Path root(String kind) {
    return Path.of("engine/src/test/resources/conformance", kind);
  }

  @TestFactory
  Stream<DynamicTest> layerCases() throws Exception {
    List<Path> cases;
    try (Stream<Path> dirs = Files.list(root("layers"))) {
      cases = dirs.filter(Files::isDirectory).sorted().toList();
    }
    return cases.stream().map(dir -> DynamicTest.dynamicTest(dir.getFileName().toString(),
        () -> runCase(dir)));
  }

  @Test
  void aCaseWithALayerTypeMissingFromTheRegistryFails(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("net.prototxt"), "layer { name: 'data' type: 'Input' top: 'data'"
        + " input_param { shape { dim: 1 } } } layer { name: 'x' type: 'NoSuchLayerType' bottom: 'data' top: 'x' }");
    AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> assertRegistered(dir));
    assertTrue(e.getMessage().contains("layer types not in Kaffee's registry: [NoSuchLayerType]"), e.getMessage());
  }

  private static void runCase(Path dir) throws Exception {
    assertRegistered(dir);
    List<String> failures = new ArrayList<>();
    boolean quiet = Glog.isQuiet();
    Path workDir = WorkDir.get();
    Path scratch = Scratch.copy(dir);
    Glog.setQuiet(true);
    try (Expected expected = new Expected(dir.resolve("expected.h5"))) {
      for (CaffeCommand cmd : CaffeCommand.readAll(dir.resolve("cmd.txt"))) {
        if (cmd.verb().equals("test")) {
          List<String> outputs = hdf5Outputs(dir.resolve(cmd.flag("model")));
          for (String file : outputs) {
            Files.deleteIfExists(scratch.resolve(file));
          }
          WorkDir.set(scratch);
          runTest(scratch, cmd, expected, TopShapes.of(dir), failures);
          for (String file : outputs) {
            failures.addAll(Hdf5Arrays.compare(file, dir.resolve(file), scratch.resolve(file), Tolerance.FORWARD));
          }
        } else if (cmd.verb().equals("train")) {
          runGradient(dir, cmd, expected, failures);
        }
      }
    } finally {
      WorkDir.set(workDir);
      Glog.setQuiet(quiet);
      Scratch.delete(scratch);
    }
    if (!failures.isEmpty()) {
      fail(dir.getFileName() + ":\n  " + String.join("\n  ", failures));
    }
  }

  /** The files the net's HDF5Output layers write (Caffe's copies sit in the case directory). */
  static List<String> hdf5Outputs(Path model) {
    return NetFiles.readNetText(model).getLayerList().stream()
        .filter(layer -> layer.getType().equals("HDF5Output"))
        .map(layer -> layer.getHdf5OutputParam().getFileName()).toList();
  }

  /** A recorded case whose layer types Kaffee lacks fails: a missing layer is a missing feature. */
  static void assertRegistered(Path dir) {
    List<String> missing = missingTypes(NetFiles.readNetText(dir.resolve("net.prototxt")));
    assertTrue(missing.isEmpty(), () -> dir.getFileName() + ": layer types not in Kaffee's registry: " + missing);
  }

  static List<String> missingTypes(NetParameter net) {
    List<String> missing = new ArrayList<>();
    for (LayerParameter layer : net.getLayerList()) {
      if (!LayerRegistry.isRegistered(layer.getType()) && !missing.contains(layer.getType())) {
        missing.add(layer.getType());
      }
    }
    return missing;
  }

  private static void runTest(Path dir, CaffeCommand cmd, Expected expected, TopShapes shapes,
      List<String> failures) {
    Rng.seed(1701);
    NetParameter param = NetFiles.readNetText(dir.resolve(cmd.flag("model")));
    Net net = Net.forPhase(param, Phase.TEST, 0, List.of());
    if (cmd.has("weights")) {
      net.copyTrainedLayersFrom(NetFiles.readNetBinary(dir.resolve(cmd.flag("weights"))));
    }
    String group = "test/" + cmd.logName();
    List<String> blobs = expected.children(group);
    assertTrue(!blobs.isEmpty(), "expected.h5 has no " + group);
    int iterations = Integer.parseInt(cmd.flag("iterations"));
    for (int i = 0; i < iterations; i++) {
      net.forward();
      for (String blob : blobs) {
        Blob top = net.blobByName(blob);
        String what = cmd.logName() + " batch " + i + " " + blob;
        String error = shapes.check(what, blob, top.shape());
        if (error == null) {
          error = Tolerance.FORWARD.compare(what, expected.batch(group + "/" + blob, i),
              top.data().dup().data().asDouble());
        }
        if (error != null) {
          failures.add(error);
        }
      }
    }
  }

  /**
   * Caffe's one SGD step (lr 1, no momentum or decay) gives {@code init - after}: the gradient
   * times lr_mult for learned params, the change of running statistics for BatchNorm.
   */
  private static void runGradient(Path dir, CaffeCommand cmd, Expected expected, List<String> failures)
      throws Exception {
    if (expected.children("gradient").isEmpty()) {
      return;
    }
    Path scratch = Scratch.copy(dir);
    WorkDir.set(scratch);
    try {
      Solver solver = Solvers.create(NetFiles.readSolver(scratch.resolve(cmd.flag("solver"))));
      SolverNets.loadWeights(solver.net(), cmd.flag("weights"));
      Net net = solver.net();
      List<double[]> before = new ArrayList<>();
      for (Blob blob : net.params()) {
        before.add(blob.data().dup().data().asDouble());
      }
      solver.step(1);
      for (String layer : expected.children("gradient")) {
        List<Blob> params = net.layerByName(layer).blobs();
        for (String index : expected.children("gradient/" + layer)) {
          Blob blob = params.get(Integer.parseInt(index));
          double[] init = before.get(net.params().indexOf(blob));
          double[] after = blob.data().dup().data().asDouble();
          double[] change = new double[init.length];
          for (int k = 0; k < init.length; k++) {
            change[k] = init[k] - after[k];
          }
          String error = Tolerance.GRADIENT.compare("gradient " + layer + "/" + index,
              expected.values("gradient/" + layer + "/" + index), change);
          if (error != null) {
            failures.add(error);
          }
        }
      }
    } finally {
      WorkDir.set(dir);
      Scratch.delete(scratch);
    }
  }
}
