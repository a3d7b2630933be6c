package org.kaffee.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.kaffee.core.KaffeeException;
import org.kaffee.io.AtomicFiles;
import org.kaffee.tools.LogTable;
import org.kaffee.tools.ParseLog;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Draws the curves of one or more training logs as a PNG (what Caffe's
 * {@code tools/extra/plot_training_log.py.example} does with matplotlib): the train
 * curve as a thin line, the test curve as a thicker line with points, against iterations
 * or seconds. The logs are read with {@link ParseLog}.
 */
public final class PlotTrainingLog {
  /** The x axis. */
  public enum XAxis {
    ITERS, SECONDS
  }

  /** What to plot: the loss outputs, the accuracy outputs, or the learning rate. */
  public enum YAxis {
    LOSS, ACCURACY, LR
  }

  /** Which tables to draw. */
  public enum Which {
    BOTH, TRAIN, TEST
  }

  public static final int DEFAULT_WIDTH = 1000;
  public static final int DEFAULT_HEIGHT = 600;

  private static final Color[] TRAIN_COLORS = {
      new Color(0x1f77b4), new Color(0x2ca02c), new Color(0x9467bd), new Color(0x8c564b),
      new Color(0x17becf), new Color(0x7f7f7f)};
  private static final Color[] TEST_COLORS = {
      new Color(0xd62728), new Color(0xff7f0e), new Color(0xe377c2), new Color(0xbcbd22),
      new Color(0x000000), new Color(0x8c564b)};

  private PlotTrainingLog() {
  }

  /**
   * Parses the logs, draws the chart and writes it as a PNG of {@code width x height}
   * pixels. Returns the number of curves drawn. Rejects a log without iterations and a
   * request with nothing to draw, naming the log and the outputs it has.
   */
  public static int plot(List<Path> logs, Path out, XAxis x, YAxis y, Which which,
      int width, int height) {
    KaffeeException.check(!logs.isEmpty(), "plot_training_log: no log file given");
    KaffeeException.check(width >= 100 && height >= 100 && width <= 20000 && height <= 20000,
        "plot size %dx%d out of range (100..20000 pixels each side)", width, height);
    KaffeeException.check(out.getFileName() != null
        && out.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".png"),
        "output file %s must end with .png (plot_training_log writes PNG images)", out);
    XYChart chart = chart(logs, x, y, which, width, height);
    write(chart, out);
    return chart.getSeriesMap().size();
  }

  /** Builds the chart (no file written). */
  public static XYChart chart(List<Path> logs, XAxis x, YAxis y, Which which,
      int width, int height) {
    if (!"true".equals(System.getProperty("java.awt.headless"))) {
      System.setProperty("java.awt.headless", "true");
    }
    String xLabel = x == XAxis.ITERS ? "Iterations" : "Seconds";
    String yLabel = switch (y) {
      case LOSS -> "Loss";
      case ACCURACY -> "Accuracy";
      case LR -> "Learning rate";
    };
    String what = switch (which) {
      case BOTH -> "";
      case TRAIN -> "Train ";
      case TEST -> "Test ";
    };
    String title = what + yLabel.toLowerCase(Locale.ROOT) + " vs. " + xLabel.toLowerCase(Locale.ROOT);
    title = Character.toUpperCase(title.charAt(0)) + title.substring(1);
    if (logs.size() == 1) {
      title += " (" + logs.get(0).getFileName() + ")";
    }
    XYChart chart = new XYChartBuilder().width(width).height(height).title(title)
        .xAxisTitle(xLabel).yAxisTitle(yLabel).build();
    style(chart);
    // curves of accuracy rise, the others mostly fall: keep the legend off their ends
    chart.getStyler().setLegendPosition(y == YAxis.ACCURACY
        ? Styler.LegendPosition.InsideSE : Styler.LegendPosition.InsideNE);
    if (y == YAxis.LR) {
      chart.getStyler().setYAxisDecimalPattern("0.#########");
    }
    int trainColor = 0;
    int testColor = 0;
    for (Path log : logs) {
      ParseLog.Result result = ParseLog.parse(log);
      if (!result.sawIteration()) {
        throw new KaffeeException("no training iterations ('Iteration N' lines) in " + log
            + "; nothing to plot");
      }
      String prefix = logs.size() > 1 ? log.getFileName() + ": " : "";
      int before = chart.getSeriesMap().size();
      if (which != Which.TEST) {
        for (String column : columns(result.train(), y)) {
          if (addSeries(chart, prefix + "train " + label(column, y), result.train(), x, column,
              false, TRAIN_COLORS[trainColor % TRAIN_COLORS.length])) {
            trainColor++;
          }
        }
      }
      if (which != Which.TRAIN && y != YAxis.LR) {
        for (String column : columns(result.test(), y)) {
          if (addSeries(chart, prefix + "test " + label(column, y), result.test(), x, column,
              true, TEST_COLORS[testColor % TEST_COLORS.length])) {
            testColor++;
          }
        }
      }
      if (chart.getSeriesMap().size() == before) {
        throw new KaffeeException(String.format(
            "nothing to plot for %s%s in %s (train outputs: %s; test outputs: %s)",
            what.toLowerCase(Locale.ROOT), yLabel.toLowerCase(Locale.ROOT), log,
            describe(result.train()), describe(result.test())));
      }
    }
    return chart;
  }

  private static void style(XYChart chart) {
    Styler s = chart.getStyler();
    s.setChartBackgroundColor(Color.WHITE);
    s.setPlotBackgroundColor(Color.WHITE);
    s.setPlotBorderColor(new Color(0x999999));
    s.setLegendBorderColor(new Color(0xbbbbbb));
    s.setChartTitleBoxVisible(false);
    s.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
    s.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    s.setAntiAlias(true);
    chart.getStyler().setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 15));
    chart.getStyler().setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    chart.getStyler().setPlotGridLinesColor(new Color(0xe6e6e6));
    chart.getStyler().setMarkerSize(7);
    chart.getStyler().setXAxisDecimalPattern("#,##0.###");
  }

  private static List<String> columns(LogTable table, YAxis y) {
    List<String> out = new ArrayList<>();
    if (table.isEmpty()) {
      return out;
    }
    if (y == YAxis.LR) {
      out.add(LogTable.LEARNING_RATE);
      return out;
    }
    String key = y == YAxis.LOSS ? "loss" : "acc";
    for (String c : table.outputColumns()) {
      if (c.toLowerCase(Locale.ROOT).contains(key)) {
        out.add(c);
      }
    }
    return out;
  }

  private static String label(String column, YAxis y) {
    return y == YAxis.LR ? "learning rate" : column;
  }

  private static String describe(LogTable table) {
    return table.isEmpty() ? "none" : String.join(", ", table.outputColumns());
  }

  private static boolean addSeries(XYChart chart, String name, LogTable table, XAxis x,
      String column, boolean test, Color color) {
    double[] xs = table.column(x == XAxis.ITERS ? LogTable.NUM_ITERS : LogTable.SECONDS);
    double[] ys = table.column(column);
    int n = 0;
    for (int i = 0; i < ys.length; i++) {
      if (Double.isFinite(ys[i]) && Double.isFinite(xs[i])) {
        n++;
      }
    }
    if (n == 0) {
      return false;
    }
    double[] px = new double[n];
    double[] py = new double[n];
    n = 0;
    for (int i = 0; i < ys.length; i++) {
      if (Double.isFinite(ys[i]) && Double.isFinite(xs[i])) {
        px[n] = xs[i];
        py[n] = ys[i];
        n++;
      }
    }
    String unique = name;
    for (int k = 2; chart.getSeriesMap().containsKey(unique); k++) {
      unique = name + " (" + k + ")";
    }
    XYSeries series = chart.addSeries(unique, px, py);
    series.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
    series.setLineColor(color);
    series.setMarkerColor(color);
    if (test) {
      series.setLineStyle(new BasicStroke(2.5f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
      series.setMarker(SeriesMarkers.CIRCLE);
    } else {
      series.setLineStyle(new BasicStroke(1.2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
      series.setMarker(n == 1 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
    }
    return true;
  }

  private static void write(XYChart chart, Path out) {
    Path dir = out.toAbsolutePath().getParent();
    if (dir != null && !Files.isDirectory(dir)) {
      throw new KaffeeException("output directory not found: " + dir);
    }
    try {
      byte[] png = BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
      AtomicFiles.replace(out, tmp -> Files.write(tmp, png));
    } catch (IOException e) {
      throw new KaffeeException("cannot write " + out + ": " + e.getMessage(), e);
    }
  }
}
