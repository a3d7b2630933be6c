package org.kaffee.tools;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * One table of a parsed training log (the train or the test rows), as Caffe's
 * {@code parse_log.py} builds it: every row maps column name to value, the columns are
 * {@code NumIters}, {@code Seconds}, {@code LearningRate} and then the net outputs in the
 * order the first row met them.
 */
public final class LogTable {
  public static final String NUM_ITERS = "NumIters";
  public static final String SECONDS = "Seconds";
  public static final String LEARNING_RATE = "LearningRate";

  private final List<Map<String, Double>> rows;

  LogTable(List<Map<String, Double>> rows) {
    this.rows = Collections.unmodifiableList(new ArrayList<>(rows));
  }

  public List<Map<String, Double>> rows() {
    return rows;
  }

  public boolean isEmpty() {
    return rows.isEmpty();
  }

  public int size() {
    return rows.size();
  }

  /** The columns: those of the first row, in order (empty for an empty table). */
  public List<String> columns() {
    return rows.isEmpty() ? List.of() : List.copyOf(rows.get(0).keySet());
  }

  /** The net output columns (everything after NumIters, Seconds and LearningRate). */
  public List<String> outputColumns() {
    List<String> out = new ArrayList<>(columns());
    out.removeAll(List.of(NUM_ITERS, SECONDS, LEARNING_RATE));
    return out;
  }

  /** The values of a column, NaN where a row lacks it. */
  public double[] column(String name) {
    double[] values = new double[rows.size()];
    for (int i = 0; i < values.length; i++) {
      Double v = rows.get(i).get(name);
      values[i] = v == null ? Double.NaN : v;
    }
    return values;
  }
}
