package org.kaffee.report;

import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.kaffee.core.KaffeeException;
import org.kaffee.inference.Evaluation;
import org.kaffee.io.AtomicFiles;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;

/**
 * The confusion matrix as a PNG heat map: true classes down, predicted classes across, each
 * cell coloured by the share of its row (the class's records), so rare and common classes
 * read alike; the shares are written in the cells while they fit (up to 20 classes).
 */
public final class ConfusionPlot {
  private static final int MAX_ANNOTATED = 20;

  private ConfusionPlot() {
  }

  public static void write(Evaluation evaluation, IntFunction<String> label, Path out) {
    int n = evaluation.classes();
    List<String> across = new ArrayList<>();
    List<String> down = new ArrayList<>();
    for (int c = 0; c < n; c++) {
      across.add(shortLabel(label.apply(c), c));
      down.add(shortLabel(label.apply(n - 1 - c), n - 1 - c));  // the heat map's y axis grows upwards
    }
    List<Number[]> cells = new ArrayList<>();
    for (int t = 0; t < n; t++) {
      long support = evaluation.support(t);
      for (int p = 0; p < n; p++) {
        double share = support == 0 ? 0 : (double) evaluation.count(t, p) / support;
        cells.add(new Number[] {p, n - 1 - t, Math.round(share * 1000) / 1000.0});
      }
    }
    int size = Math.max(600, Math.min(2000, 60 + 40 * n));
    HeatMapChart chart = new HeatMapChartBuilder().width(size + 160).height(size)
        .title("Confusion matrix: rows true class, columns predicted (share of the row)")
        .xAxisTitle("predicted").yAxisTitle("true").build();
    chart.getStyler().setChartBackgroundColor(Color.WHITE).setPlotContentSize(1.0)
        .setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
    chart.getStyler().setShowValue(n <= MAX_ANNOTATED).setMin(0).setMax(1)
        .setRangeColors(new Color[] {Color.WHITE, new Color(0x9ecae1), new Color(0x08306b)})
        .setHeatMapValueDecimalPattern("0.00").setXAxisLabelRotation(n > 10 ? 60 : 0);
    chart.addSeries("share of the true class", across, down, cells);
    try {
      byte[] png = BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
      AtomicFiles.replace(out, tmp -> Files.write(tmp, png));
    } catch (IOException e) {
      throw new KaffeeException("cannot write " + out + ": " + e.getMessage(), e);
    }
  }

  private static String shortLabel(String label, int index) {
    String text = label.length() > 16 ? label.substring(0, 15) + "…" : label;
    return text.equals(Integer.toString(index)) ? text : index + " " + text;
  }
}
