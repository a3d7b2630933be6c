package org.kaffee.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.TextFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kaffee.io.ProtoFiles;
import org.kaffee.proto.Caffe.SolverParameter;
import org.kaffee.tools.ShapesDataset;

/**
 * SSD trained end to end on the synthetic shapes set, as a user would: convert_annoset writes
 * AnnotatedDatum databases, the shipped tiny SSD (models/ssd_shapes, AnnotatedData, MultiBoxLoss)
 * trains with its solver (shortened), the solver tests by mAP (DetectionEvaluate, eval_type
 * detection) and evaluate --detection scores the deploy net. Untrained, the net's mAP is about
 * 0.001; trained, it must be well above that.
 */
class SsdShapesTrainingTest {
  private static final int ITERATIONS = 600;

  @TempDir
  Path dir;

  private void convert(CommandOutput command, String part, int count, long seed) {
    // the converters, as Caffe's tools, take paths from the process's directory
    Path set = dir.resolve("data/shapes/" + part);
    ShapesDataset.write(set, count, 64, seed);
    assertEquals(0, command.run("convert_annoset", "--anno_type=detection", "--label_type=xml",
        "--label_map_file=" + set.resolve("labelmap.prototxt"), "--encoded", "--encode_type=png",
        set + "/", set.resolve("list.txt").toString(), dir.resolve("data/shapes_" + part + "_lmdb").toString()),
        command.err());
  }

  private void writeSolver() throws Exception {
    SolverParameter shipped = ProtoFiles.parseText(Files.readString(Path.of("solvers/ssd_shapes_solver.prototxt")),
        "solvers/ssd_shapes_solver.prototxt", SolverParameter.newBuilder()).build();
    SolverParameter solver = shipped.toBuilder()
        .setNet(Path.of("models/ssd_shapes/ssd_shapes.prototxt").toAbsolutePath().toString())
        .setMaxIter(ITERATIONS).setTestInterval(ITERATIONS).setSnapshot(ITERATIONS).setSnapshotPrefix("ssd")
        .build();
    Files.writeString(dir.resolve("solver.prototxt"), TextFormat.printer().printToString(solver));
  }

  private static double last(Pattern pattern, List<String> lines) {
    double value = Double.NaN;
    for (String line : lines) {
      Matcher m = pattern.matcher(line);
      if (m.find()) {
        value = Double.parseDouble(m.group(1));
      }
    }
    return value;
  }

  @Test
  void aTinySsdLearnsToFindTheShapes() throws Exception {
    try (CommandOutput command = new CommandOutput(dir)) {
      convert(command, "trainval", 300, 1);
      convert(command, "test", 50, 2);
      writeSolver();
      command.takeMessages();

      assertEquals(0, command.run("train", "--solver=solver.prototxt"), command.err());
      List<String> training = command.takeMessages();
      Pattern eval = Pattern.compile("Test net output #0: detection_eval = (\\S+)");
      double first = Double.NaN;
      for (String line : training) {
        Matcher m = eval.matcher(line);
        if (m.find()) {
          first = Double.parseDouble(m.group(1));
          break;
        }
      }
      double trained = last(eval, training);
      assertTrue(first < 0.05, "untrained mAP " + first);
      assertTrue(trained > 0.5, "mAP after " + ITERATIONS + " iterations: " + trained);

      assertEquals(0, command.run("evaluate", "--detection",
          "--model=" + Path.of("models/ssd_shapes/deploy.prototxt").toAbsolutePath(),
          "--weights=ssd_iter_" + ITERATIONS + ".caffemodel", "--scale=0.00390625",
          "--labels=data/shapes/test/labels.txt", "data/shapes_test_lmdb"), command.err());
      double evaluated = last(Pattern.compile("^mAP = (\\S+)"), command.takeMessages());
      assertTrue(evaluated > 0.5, "evaluate --detection: mAP " + evaluated);
    }
  }
}
