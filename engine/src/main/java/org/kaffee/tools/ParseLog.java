package org.kaffee.tools;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.kaffee.core.KaffeeException;
import org.kaffee.io.AtomicFiles;

/**
 * Caffe's {@code tools/extra/parse_log.py} in Java: turns a training log (Caffe's or
 * Kaffee's, both glog format) into a train table and a test table.
 *
 * <p>Same rules as the script: the start time is the first line containing
 * {@code Solving}; {@code Iteration N} anywhere sets the current iteration; {@code lr = v}
 * sets the current learning rate; {@code Train net output #k: name = v} and
 * {@code Test net output #k: name = v} fill a row per iteration; a row is complete when it
 * has as many columns as the first row; the first row's NaN learning rate is copied from
 * the second. Deliberate differences: glog lines with the year
 * ({@code I20261122 23:27:30.195268}, newer glog) are read as well as the classic
 * {@code I1122 ...}; a log without a {@code Solving} line is timed from its first glog
 * line; a table with a single row keeps it (the script drops it).
 */
public final class ParseLog {
  private static final Pattern ITERATION = Pattern.compile("Iteration (\\d+)");
  private static final Pattern TRAIN_OUTPUT =
      Pattern.compile("Train net output #(\\d+): (\\S+) = ([.\\deE+-]+)");
  private static final Pattern TEST_OUTPUT =
      Pattern.compile("Test net output #(\\d+): (\\S+) = ([.\\deE+-]+)");
  private static final Pattern LEARNING_RATE =
      Pattern.compile("lr = ([-+]?[0-9]*\\.?[0-9]+([eE]?[-+]?[0-9]+)?)");
  /** Severity, [yyyy]mmdd, hh:mm:ss.micros, as glog writes it. */
  private static final Pattern GLOG_TIME =
      Pattern.compile("^\\s*[IWEF](\\d{4}|\\d{8}) (\\d{1,2}):(\\d{2}):(\\d{2})\\.(\\d{1,9})(\\s|$)");

  private ParseLog() {
  }

  /** A parsed log: its train and test tables. */
  public record Result(LogTable train, LogTable test, boolean sawIteration) {
  }

  /** Parses a log file; a missing or unreadable file is a KaffeeException naming it. */
  public static Result parse(Path log) {
    List<String> lines;
    try {
      lines = Files.readAllLines(log, StandardCharsets.ISO_8859_1);
    } catch (NoSuchFileException e) {
      throw new KaffeeException("log file not found: " + log);
    } catch (IOException e) {
      throw new KaffeeException("cannot read log file " + log + ": " + e.getMessage(), e);
    }
    int year = LocalDateTime.now().getYear();
    try {
      year = LocalDateTime.ofInstant(Files.getLastModifiedTime(log).toInstant(),
          ZoneId.systemDefault()).getYear();
    } catch (IOException e) {
      // keep this year
    }
    return parse(lines, year);
  }

  /** Parses log lines; {@code year} is used for glog lines without a year. */
  public static Result parse(List<String> lines, int year) {
    int first = 0;
    LocalDateTime start = null;
    int[] logYear = {year};
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains("Solving")) {
        start = timeOf(lines.get(i), logYear[0]);
        if (start != null) {
          first = i + 1;
          break;
        }
      }
    }
    if (start == null) {
      for (String line : lines) {
        start = timeOf(line, logYear[0]);
        if (start != null) {
          break;
        }
      }
    }
    long iteration = -1;
    double learningRate = Double.NaN;
    Rows train = new Rows(TRAIN_OUTPUT);
    Rows test = new Rows(TEST_OUTPUT);
    LocalDateTime last = start;
    for (int i = first; i < lines.size() && start != null; i++) {
      String line = lines.get(i);
      Matcher it = ITERATION.matcher(line);
      if (it.find()) {
        Double number = parseNumber(it.group(1));
        // an iteration beyond long's range is not one Caffe wrote: keep the previous one
        iteration = number != null && number < Long.MAX_VALUE ? number.longValue() : iteration;
      }
      if (iteration == -1) {
        continue;
      }
      LocalDateTime time = timeOf(line, logYear[0]);
      if (time == null) {
        continue;
      }
      if (!hasYear(line) && time.getMonthValue() < last.getMonthValue()) {
        logYear[0]++;
        time = timeOf(line, logYear[0]);
      }
      last = time;
      Duration elapsed = Duration.between(start, time);
      double seconds = (elapsed.getSeconds() * 1_000_000L + elapsed.getNano() / 1000) / 1e6;
      Matcher lr = LEARNING_RATE.matcher(line);
      if (lr.find()) {
        // the pattern (parse_log.py's) also matches junk such as "0+0": such a rate is unknown
        Double rate = parseNumber(lr.group(1));
        learningRate = rate != null ? rate : Double.NaN;
      }
      train.parseLine(line, iteration, seconds, learningRate);
      test.parseLine(line, iteration, seconds, learningRate);
    }
    return new Result(train.finish(), test.finish(), iteration != -1);
  }

  private static boolean hasYear(String line) {
    Matcher m = GLOG_TIME.matcher(line);
    return m.find() && m.group(1).length() == 8;
  }

  /** The time stamp of a glog line, or null when the line is not one. */
  static LocalDateTime timeOf(String line, int year) {
    Matcher m = GLOG_TIME.matcher(line);
    if (!m.find()) {
      return null;
    }
    String date = m.group(1);
    int y = date.length() == 8 ? Integer.parseInt(date.substring(0, 4)) : year;
    String md = date.substring(date.length() - 4);
    String frac = m.group(5);
    // glog writes six digits (microseconds); read other widths as a decimal fraction
    int nanos = Integer.parseInt((frac + "000000000").substring(0, 9));
    try {
      return LocalDateTime.of(y, Integer.parseInt(md.substring(0, 2)),
          Integer.parseInt(md.substring(2)), Integer.parseInt(m.group(2)),
          Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)), nanos);
    } catch (DateTimeException e) {
      return null;
    }
  }

  /** The row state machine of parse_log.py's parse_line_for_net_output, for one table. */
  private static final class Rows {
    private final Pattern pattern;
    private final List<Map<String, Double>> list = new ArrayList<>();
    private Map<String, Double> row;

    Rows(Pattern pattern) {
      this.pattern = pattern;
    }

    void parseLine(String line, long iteration, double seconds, double learningRate) {
      Matcher m = pattern.matcher(line);
      if (m.find()) {
        Double value = parseNumber(m.group(3));
        if (value != null) {
          if (row == null || row.get(LogTable.NUM_ITERS) != (double) iteration) {
            if (row != null) {
              list.add(row);
            }
            row = new LinkedHashMap<>();
            row.put(LogTable.NUM_ITERS, (double) iteration);
            row.put(LogTable.SECONDS, seconds);
            row.put(LogTable.LEARNING_RATE, learningRate);
          }
          row.put(m.group(2), value);
        }
      }
      if (row != null && !list.isEmpty() && row.size() == list.get(0).size()) {
        list.add(row);
        row = null;
      }
    }

    LogTable finish() {
      if (row != null && list.isEmpty()) {
        list.add(row);
        row = null;
      }
      if (list.size() > 1) {
        list.get(0).put(LogTable.LEARNING_RATE, list.get(1).get(LogTable.LEARNING_RATE));
      }
      return new LogTable(list);
    }
  }

  /** The number a matched text holds, or null when the text only looks like one. */
  private static Double parseNumber(String text) {
    try {
      return Double.parseDouble(text);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  // ---- CSV output --------------------------------------------------------------------

  /**
   * Writes {@code <logname>.train} and {@code <logname>.test} into {@code outDir} as
   * parse_log.py does (excel dialect: CRLF line ends, minimal quoting, Python's float
   * repr); an empty table writes no file. Creates {@code outDir} when it is missing, as
   * {@code train} creates its snapshot directory. Returns the files written.
   */
  public static List<Path> writeCsv(Result result, Path log, Path outDir, char delimiter) {
    try {
      Files.createDirectories(outDir);
    } catch (IOException e) {
      throw new KaffeeException("cannot create the output directory " + outDir + ": "
          + (Files.exists(outDir) ? "a file of that name is in the way" : e.getMessage()));
    }
    String base = log.getFileName().toString();
    List<Path> written = new ArrayList<>();
    Path train = outDir.resolve(base + ".train");
    if (writeTable(result.train(), train, delimiter)) {
      written.add(train);
    }
    Path test = outDir.resolve(base + ".test");
    if (writeTable(result.test(), test, delimiter)) {
      written.add(test);
    }
    return written;
  }

  /** The CSV text of a table (header and rows), as parse_log.py writes it. */
  public static String toCsv(LogTable table, char delimiter) {
    StringBuilder sb = new StringBuilder();
    List<String> columns = table.columns();
    appendRecord(sb, columns, delimiter);
    for (Map<String, Double> row : table.rows()) {
      List<String> fields = new ArrayList<>(columns.size());
      for (String c : columns) {
        Double v = row.get(c);
        fields.add(v == null ? "" : pythonRepr(v));
      }
      appendRecord(sb, fields, delimiter);
    }
    return sb.toString();
  }

  private static boolean writeTable(LogTable table, Path file, char delimiter) {
    if (table.isEmpty()) {
      return false;
    }
    try {
      AtomicFiles.replace(file, tmp -> Files.writeString(tmp, toCsv(table, delimiter),
          StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new KaffeeException("cannot write " + file + ": " + e.getMessage(), e);
    }
    return true;
  }

  private static void appendRecord(StringBuilder sb, List<String> fields, char delimiter) {
    for (int i = 0; i < fields.size(); i++) {
      if (i > 0) {
        sb.append(delimiter);
      }
      String f = fields.get(i);
      if (f.indexOf(delimiter) >= 0 || f.indexOf('"') >= 0 || f.indexOf('\n') >= 0
          || f.indexOf('\r') >= 0) {
        sb.append('"').append(f.replace("\"", "\"\"")).append('"');
      } else {
        sb.append(f);
      }
    }
    sb.append("\r\n");
  }

  /** A double as Python's {@code repr(float)} prints it: 0.0, 15.0, 1.2e-05, 0.0199985, nan. */
  public static String pythonRepr(double v) {
    if (Double.isNaN(v)) {
      return "nan";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "inf" : "-inf";
    }
    if (v == 0) {
      return (1 / v < 0) ? "-0.0" : "0.0";
    }
    BigDecimal d = new BigDecimal(Double.toString(Math.abs(v))).stripTrailingZeros();
    String digits = d.unscaledValue().toString();
    int decpt = digits.length() - d.scale(); // value = 0.digits * 10^decpt
    int exp = decpt - 1;
    StringBuilder sb = new StringBuilder();
    if (v < 0) {
      sb.append('-');
    }
    if (exp >= -4 && exp < 16) {
      if (decpt <= 0) {
        sb.append("0.").append("0".repeat(-decpt)).append(digits);
      } else if (decpt >= digits.length()) {
        sb.append(digits).append("0".repeat(decpt - digits.length())).append(".0");
      } else {
        sb.append(digits, 0, decpt).append('.').append(digits, decpt, digits.length());
      }
    } else {
      sb.append(digits.charAt(0));
      if (digits.length() > 1) {
        sb.append('.').append(digits, 1, digits.length());
      }
      sb.append('e').append(exp < 0 ? '-' : '+');
      int a = Math.abs(exp);
      if (a < 10) {
        sb.append('0');
      }
      sb.append(a);
    }
    return sb.toString();
  }
}
