package org.kaffee.serve;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.kaffee.tools.LogTable;
import org.kaffee.tools.ParseLog;

/**
 * What a run page shows of a training log, read again on every request so a log that
 * {@code kaffee train} is still writing gives fresh points: the train and test curves
 * (parse_log's tables), the solver settings the log starts with, the latest speed and ETA.
 */
final class RunLog {
  private static final Pattern SPEED =
      Pattern.compile("Speed: ([\\d.]+) it/s over \\d+ iterations, ETA (\\S+) for (\\d+) more");
  private static final Pattern MAX_ITER = Pattern.compile("(?m)^\\s*max_iter: (\\d+)");
  private static final Pattern GLOG_LINE = Pattern.compile("^[IWEF]\\d{4}");

  private RunLog() {
  }

  static Map<String, Object> read(Path log) {
    List<String> lines;
    try {
      lines = Files.readAllLines(log, StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      throw HttpProblem.notFound("cannot read log " + log.getFileName() + ": " + e.getMessage());
    }
    ParseLog.Result parsed = ParseLog.parse(lines, java.time.Year.now().getValue());
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("train", table(parsed.train()));
    out.put("test", table(parsed.test()));
    String solver = solverSettings(lines);
    out.put("solver", solver);
    Matcher maxIter = MAX_ITER.matcher(solver);
    out.put("maxIter", maxIter.find() ? Integer.parseInt(maxIter.group(1)) : null);
    out.put("speed", null);
    out.put("eta", null);
    for (String line : lines) {
      Matcher m = SPEED.matcher(line);
      if (m.find()) {
        out.put("speed", Double.parseDouble(m.group(1)));
        out.put("eta", m.group(2));
      }
    }
    out.put("finished", lines.stream().anyMatch(l -> l.contains("Optimization Done.")
        || l.contains("Optimization stopped early.")));
    return out;
  }

  /** The solver's text block after "Initializing solver from parameters:". */
  static String solverSettings(List<String> lines) {
    StringBuilder text = new StringBuilder();
    boolean inside = false;
    for (String line : lines) {
      if (line.contains("Initializing solver from parameters:")) {
        inside = true;
      } else if (inside) {
        if (GLOG_LINE.matcher(line).find()) {
          break;
        }
        text.append(line).append('\n');
      }
    }
    return text.toString();
  }

  /** Columns and rows, NaN (a value a row lacks) as null so browsers parse the JSON. */
  private static Map<String, Object> table(LogTable table) {
    List<List<Double>> rows = new ArrayList<>();
    for (Map<String, Double> row : table.rows()) {
      List<Double> values = new ArrayList<>();
      for (String column : table.columns()) {
        Double v = row.get(column);
        values.add(v == null || v.isNaN() || v.isInfinite() ? null : v);
      }
      rows.add(values);
    }
    return Map.of("columns", table.columns(), "rows", rows);
  }
}
