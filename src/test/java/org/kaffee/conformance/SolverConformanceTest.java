package org.kaffee.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.kaffee.cli.Main;
import org.kaffee.io.ProtoFiles;
import org.kaffee.io.WorkDir;
import org.kaffee.log.Glog;
import org.kaffee.proto.Caffe.BlobProto;
import org.kaffee.proto.Caffe.LayerParameter;
import org.kaffee.proto.Caffe.NetParameter;
import org.kaffee.proto.Caffe.SolverState;

/**
 * Replays the solver cases recorded with real Caffe: each {@code caffe train} line of cmd.txt
 * runs through {@code kaffee train} in a scratch copy; the displayed losses and learning
 * rates must match Caffe's per iteration, and every snapshot Caffe wrote (binary or HDF5)
 * must match the one Kaffee writes.
 */
class SolverConformanceTest {
  private static final Pattern LOSS = Pattern.compile("\\] Iteration (\\d+) \\(.*\\), loss = (\\S+)");
  private static final Pattern LR = Pattern.compile("\\] Iteration (\\d+), lr = (\\S+)");

  @TestFactory
  Stream<DynamicTest> solverCases() throws Exception {
    List<Path> cases;
    try (Stream<Path> dirs = Files.list(LayerConformanceTest.root("solvers"))) {
      cases = dirs.filter(Files::isDirectory).sorted().toList();
    }
    return cases.stream().map(dir -> DynamicTest.dynamicTest(dir.getFileName().toString(),
        () -> runCase(dir)));
  }

  private static void runCase(Path dir) throws Exception {
    List<String> failures = new ArrayList<>();
    Path scratch = Scratch.copy(dir);
    List<String> recorded;
    try (Stream<Path> files = Files.list(dir)) {
      recorded = files.map(p -> p.getFileName().toString())
          .filter(n -> n.matches(".*_iter_\\d+\\.(caffemodel|solverstate)(\\.h5)?")).sorted().toList();
    }
    for (String name : recorded) {
      Files.delete(scratch.resolve(name));
    }
    PrintStream original = Glog.output();
    try (Expected expected = new Expected(dir.resolve("expected.h5"))) {
      WorkDir.set(scratch);
      for (CaffeCommand cmd : CaffeCommand.readAll(dir.resolve("cmd.txt"))) {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Glog.setOutput(new PrintStream(log, true, StandardCharsets.UTF_8));
        List<String> args = new ArrayList<>(List.of("train", "--solver=" + cmd.flag("solver")));
        for (String flag : List.of("weights", "snapshot")) {
          if (cmd.has(flag)) {
            args.add("--" + flag + "=" + cmd.flag(flag));
          }
        }
        int code = Main.run(args.toArray(String[]::new));
        Glog.setOutput(original);
        String text = log.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, () -> cmd.logName() + " failed:\n" + tail(text));
        compareCurve(cmd.logName(), text, expected, failures);
      }
      for (String name : recorded) {
        compareSnapshot(name, dir.resolve(name), scratch.resolve(name), failures);
      }
    } finally {
      Glog.setOutput(original);
      WorkDir.set(Path.of(""));
      Scratch.delete(scratch);
    }
    if (!failures.isEmpty()) {
      fail(dir.getFileName() + ":\n  " + String.join("\n  ", failures));
    }
  }

  private static void compareCurve(String logName, String log, Expected expected, List<String> failures) {
    String group = "train/" + logName;
    if (!expected.has(group + "/iteration")) {
      return;
    }
    Map<Integer, Double> losses = parse(LOSS, log);
    Map<Integer, Double> rates = parse(LR, log);
    double[] iterations = expected.values(group + "/iteration");
    double[] caffeLoss = expected.values(group + "/loss");
    double[] caffeLr = expected.values(group + "/lr");
    for (int i = 0; i < iterations.length; i++) {
      int iter = (int) iterations[i];
      check(failures, logName + " iteration " + iter + " loss", caffeLoss[i], losses.get(iter), Tolerance.LOSS);
      check(failures, logName + " iteration " + iter + " lr", caffeLr[i], rates.get(iter), Tolerance.LR);
    }
  }

  private static void check(List<String> failures, String what, double caffe, Double kaffee, Tolerance tol) {
    if (Double.isNaN(caffe)) {
      return;
    }
    if (kaffee == null) {
      failures.add(what + ": Caffe printed " + caffe + ", Kaffee printed nothing");
      return;
    }
    String error = tol.compare(what, new double[] {caffe}, new double[] {kaffee});
    if (error != null) {
      failures.add(error);
    }
  }

  private static Map<Integer, Double> parse(Pattern pattern, String log) {
    Map<Integer, Double> values = new TreeMap<>();
    for (String line : log.split("\n")) {
      Matcher m = pattern.matcher(line);
      if (m.find()) {
        values.putIfAbsent(Integer.parseInt(m.group(1)), Double.parseDouble(m.group(2)));
      }
    }
    return values;
  }

  private static void compareSnapshot(String name, Path caffe, Path kaffee, List<String> failures) {
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

  /** The numeric arrays of a snapshot, by a name that is the same for Caffe's and Kaffee's. */
  private static Map<String, double[]> arrays(Path file) {
    Map<String, double[]> out = new LinkedHashMap<>();
    String name = file.getFileName().toString();
    if (name.endsWith(".h5")) {
      Hdf5Arrays.read(file).forEach((key, values) -> out.put(key, values.data()));
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

  private static String tail(String log) {
    String[] lines = log.split("\n");
    return String.join("\n", java.util.Arrays.copyOfRange(lines, Math.max(0, lines.length - 15), lines.length));
  }
}
