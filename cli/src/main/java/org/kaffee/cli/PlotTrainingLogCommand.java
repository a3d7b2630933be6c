package org.kaffee.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.kaffee.core.KaffeeException;
import org.kaffee.log.Glog;
import org.kaffee.report.PlotTrainingLog;
import org.kaffee.report.PlotTrainingLog.Which;
import org.kaffee.report.PlotTrainingLog.XAxis;
import org.kaffee.report.PlotTrainingLog.YAxis;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kaffee plot_training_log}: training curves of one or more logs as a PNG. */
@Command(name = "plot_training_log", mixinStandardHelpOptions = true,
    description = {"Plot the train and test curves of training logs (Caffe's or Kaffee's) as a PNG.",
        "Forms:",
        "  kaffee plot_training_log LOG... OUT.png [--x iters|seconds] [--y loss|accuracy|lr]",
        "  kaffee plot_training_log CHART_TYPE OUT.png LOG...   (Caffe's plot_training_log.py form)",
        "Caffe chart types: 0 test accuracy vs. iters, 1 test accuracy vs. seconds,"
            + " 2 test loss vs. iters, 3 test loss vs. seconds, 4 train learning rate vs. iters,"
            + " 5 train learning rate vs. seconds, 6 train loss vs. iters, 7 train loss vs. seconds."})
final class PlotTrainingLogCommand implements Runnable {
  @Parameters(arity = "2..*", paramLabel = "ARGS",
      description = "LOG... OUT.png, or CHART_TYPE OUT.png LOG...")
  List<String> args = new ArrayList<>();

  @Option(names = {"--x", "-x"}, paramLabel = "iters|seconds",
      description = "The x axis (default: iters).")
  XAxis x;

  @Option(names = {"--y", "-y"}, paramLabel = "loss|accuracy|lr",
      description = "What to plot (default: loss; train and test curves).")
  YAxis y;

  @Option(names = {"--width"}, defaultValue = "" + PlotTrainingLog.DEFAULT_WIDTH,
      description = "Image width in pixels (default: ${DEFAULT-VALUE}).")
  int width;

  @Option(names = {"--height"}, defaultValue = "" + PlotTrainingLog.DEFAULT_HEIGHT,
      description = "Image height in pixels (default: ${DEFAULT-VALUE}).")
  int height;

  @Override
  public void run() {
    List<Path> logs = new ArrayList<>();
    Path out;
    XAxis xAxis = x == null ? XAxis.ITERS : x;
    YAxis yAxis = y == null ? YAxis.LOSS : y;
    Which which = Which.BOTH;
    if (args.size() >= 3 && args.get(0).matches("\\d+")) {
      int type = Integer.parseInt(args.get(0));
      if (type > 7) {
        throw new KaffeeException("chart type " + type + " is not one of 0..7 (see --help)");
      }
      if (x != null || y != null) {
        throw new KaffeeException("--x/--y cannot be combined with a Caffe chart type ("
            + type + ")");
      }
      xAxis = type % 2 == 0 ? XAxis.ITERS : XAxis.SECONDS;
      yAxis = switch (type / 2) {
        case 0 -> YAxis.ACCURACY;
        case 1, 3 -> YAxis.LOSS;
        default -> YAxis.LR;
      };
      which = type < 4 ? Which.TEST : Which.TRAIN;
      out = Path.of(args.get(1));
      for (String a : args.subList(2, args.size())) {
        logs.add(Path.of(a));
      }
    } else {
      out = Path.of(args.get(args.size() - 1));
      for (String a : args.subList(0, args.size() - 1)) {
        logs.add(Path.of(a));
      }
    }
    int curves = PlotTrainingLog.plot(logs, out, xAxis, yAxis, which, width, height);
    Glog.info("Wrote %s (%dx%d, %d curve%s)", out, width, height, curves, curves == 1 ? "" : "s");
  }
}
