package org.kaffee.conformance;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The per-iteration losses and learning rates of a train log against Caffe's recorded curve. */
final class TrainLogs {
  private static final Pattern LOSS = Pattern.compile("\\] Iteration (\\d+) \\(.*\\), loss = (\\S+)");
  private static final Pattern LR = Pattern.compile("\\] Iteration (\\d+), lr = (\\S+)");

  private TrainLogs() {
  }

  static void compare(String logName, String log, Expected expected, List<String> failures) {
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

}
