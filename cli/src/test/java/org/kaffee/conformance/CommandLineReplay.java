package org.kaffee.conformance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.kaffee.io.NetFiles;

/**
 * Replays a recorded case end to end: each {@code caffe test|train} line of its cmd.txt runs as
 * a {@code tools/kaffee} process in a scratch copy of the case, and what the process printed
 * and wrote is compared with Caffe's: the {@code Batch i, blob = v} lines (count and values),
 * the per-iteration losses and learning rates, every snapshot, the gradient of a layer case's
 * one SGD step ({@code init - after}) and the files HDF5Output layers write.
 *
 * <p>{@link CommandLineReplayTest} replays a sample in the suite, every case with
 * {@code mvn -B test -Dtest=CommandLineReplayTest -Dkaffee.replay=all}.
 */
final class CommandLineReplay {
  private static final Pattern BATCH = Pattern.compile("\\] Batch (\\d+), (\\S+) = (\\S+)");
  private static final long TIMEOUT_SECONDS = 600;

  private CommandLineReplay() {
  }

  /** Each difference from Caffe as one line; empty when the case replays exactly. */
  static List<String> replay(Path caseDir, Path launcher) throws IOException, InterruptedException {
    List<String> failures = new ArrayList<>();
    Path scratch = Scratch.copy(caseDir);
    List<CaffeCommand> commands = CaffeCommand.readAll(caseDir.resolve("cmd.txt"));
    List<String> inputs = commands.stream().filter(cmd -> cmd.has("weights")).map(cmd -> cmd.flag("weights")).toList();
    List<String> snapshots = CaffeSnapshots.recorded(caseDir).stream().filter(name -> !inputs.contains(name)).toList();
    for (String name : snapshots) {
      Files.delete(scratch.resolve(name));
    }
    try (Expected expected = new Expected(caseDir.resolve("expected.h5"))) {
      for (CaffeCommand cmd : commands) {
        if (!cmd.verb().equals("test") && !cmd.verb().equals("train")) {
          continue;
        }
        List<String> outputs = cmd.verb().equals("test")
            ? LayerConformanceTest.hdf5Outputs(caseDir.resolve(cmd.flag("model"))) : List.of();
        for (String file : outputs) {
          Files.deleteIfExists(scratch.resolve(file));
        }
        String log = run(launcher, scratch, cmd);
        if (log == null) {
          failures.add(cmd.logName() + ": tools/kaffee " + cmd.verb() + " failed, see its log:\n"
              + Files.readString(scratch.resolve(cmd.logName() + ".log")));
          continue;
        }
        if (cmd.verb().equals("test")) {
          compareBatches(cmd, log, expected, failures);
          for (String file : outputs) {
            failures.addAll(Hdf5Arrays.compare(file, caseDir.resolve(file), scratch.resolve(file), Tolerance.FORWARD));
          }
        } else {
          TrainLogs.compare(cmd.logName(), log, expected, failures);
          compareGradient(scratch, cmd, expected, failures);
        }
      }
      for (String name : snapshots) {
        CaffeSnapshots.compare(name, caseDir.resolve(name), scratch.resolve(name), failures);
      }
    } finally {
      Scratch.delete(scratch);
    }
    return failures;
  }

  /** Runs the line as {@code tools/kaffee VERB --flag=value ...}; its log, or null when it failed. */
  private static String run(Path launcher, Path dir, CaffeCommand cmd) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(launcher.toString(), cmd.verb()));
    cmd.flags().forEach((flag, value) -> command.add("--" + flag + "=" + value));
    command.addAll(cmd.args());
    Path log = dir.resolve(cmd.logName() + ".log");
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(log.toFile());
    builder.environment().put("KAFFEE_APP_CLASSPATH", appClasspath());
    Process process = builder.start();
    if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      return null;
    }
    return process.exitValue() == 0 ? Files.readString(log, StandardCharsets.UTF_8) : null;
  }

  /** This JVM's classpath (under Maven, its compiled classes and dependencies). */
  private static String appClasspath() {
    return System.getProperty("java.class.path");
  }

  private static void compareBatches(CaffeCommand cmd, String log, Expected expected, List<String> failures) {
    Map<String, Map<Integer, List<Double>>> printed = new LinkedHashMap<>();
    for (String line : log.split("\n")) {
      Matcher m = BATCH.matcher(line);
      if (m.find()) {
        printed.computeIfAbsent(m.group(2), b -> new LinkedHashMap<>())
            .computeIfAbsent(Integer.parseInt(m.group(1)), i -> new ArrayList<>()).add(Double.parseDouble(m.group(3)));
      }
    }
    String group = "test/" + cmd.logName();
    List<String> blobs = expected.children(group);
    if (!printed.keySet().equals(new java.util.HashSet<>(blobs))) {
      failures.add(cmd.logName() + ": Caffe printed blobs " + blobs + ", Kaffee " + printed.keySet());
      return;
    }
    int iterations = Integer.parseInt(cmd.flag("iterations"));
    for (String blob : blobs) {
      for (int i = 0; i < iterations; i++) {
        List<Double> values = printed.get(blob).getOrDefault(i, List.of());
        String error = Tolerance.FORWARD.compare(cmd.logName() + " batch " + i + " " + blob,
            expected.batch(group + "/" + blob, i), values.stream().mapToDouble(Double::doubleValue).toArray());
        if (error != null) {
          failures.add(error);
        }
      }
    }
  }

  /** A layer case's one SGD step (lr 1): {@code init - after} is the gradient Caffe recorded. */
  private static void compareGradient(Path scratch, CaffeCommand cmd, Expected expected, List<String> failures) {
    if (expected.children("gradient").isEmpty() || !cmd.has("weights")) {
      return;
    }
    Path after = scratch.resolve(NetFiles.readSolver(scratch.resolve(cmd.flag("solver"))).getSnapshotPrefix()
        + "_iter_1.caffemodel");
    if (!Files.exists(after)) {
      failures.add(cmd.logName() + ": Kaffee wrote no " + after.getFileName());
      return;
    }
    Map<String, double[]> init = CaffeSnapshots.arrays(scratch.resolve(cmd.flag("weights")));
    Map<String, double[]> stepped = CaffeSnapshots.arrays(after);
    for (String layer : expected.children("gradient")) {
      for (String index : expected.children("gradient/" + layer)) {
        String key = layer + "/" + index;
        double[] before = init.get(key);
        double[] now = stepped.get(key);
        if (before == null || now == null || before.length != now.length) {
          failures.add("gradient " + key + ": not in both " + cmd.flag("weights") + " and " + after.getFileName());
          continue;
        }
        double[] change = new double[before.length];
        for (int k = 0; k < change.length; k++) {
          change[k] = before[k] - now[k];
        }
        String error = Tolerance.GRADIENT.compare("gradient " + key, expected.values("gradient/" + key), change);
        if (error != null) {
          failures.add(error);
        }
      }
    }
  }
}
