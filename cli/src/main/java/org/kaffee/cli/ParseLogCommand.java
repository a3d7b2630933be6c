package org.kaffee.cli;

import java.nio.file.Path;
import java.util.List;
import org.kaffee.core.KaffeeException;
import org.kaffee.log.Glog;
import org.kaffee.tools.ParseLog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kaffee parse_log}: Caffe's tools/extra/parse_log.py. */
@Command(name = "parse_log", mixinStandardHelpOptions = true,
    description = {"Parse a Caffe or Kaffee training log into two CSV files, <logname>.train and"
        + " <logname>.test, with columns NumIters, Seconds, LearningRate and one per net output"
        + " (as Caffe's tools/extra/parse_log.py writes them).",
        "A table without rows writes no file. A log without any 'Iteration N' line is an error."})
final class ParseLogCommand implements Runnable {
  @Parameters(index = "0", paramLabel = "LOG", description = "The training log (glog format).")
  Path log;

  @Parameters(index = "1", paramLabel = "OUTPUT_DIR", description = "Directory for the CSV files (created when missing).")
  Path outputDir;

  @Option(names = {"--delimiter", "-delimiter"}, defaultValue = ",",
      description = "Column delimiter (default: ${DEFAULT-VALUE}).")
  String delimiter;

  @Override
  public void run() {
    if (delimiter.length() != 1) {
      throw new KaffeeException("--delimiter must be one character, got '" + delimiter + "'");
    }
    ParseLog.Result result = ParseLog.parse(log);
    if (!result.sawIteration()) {
      throw new KaffeeException("no 'Iteration N' line in " + log + "; is it a training log?");
    }
    List<Path> written = ParseLog.writeCsv(result, log, outputDir, delimiter.charAt(0));
    String base = log.getFileName().toString();
    if (result.train().isEmpty()) {
      Glog.warn("Not writing %s: no 'Train net output' lines", outputDir.resolve(base + ".train"));
    }
    if (result.test().isEmpty()) {
      Glog.warn("Not writing %s: no 'Test net output' lines", outputDir.resolve(base + ".test"));
    }
    for (Path p : written) {
      Glog.info("Wrote %s (%d rows)", p,
          p.toString().endsWith(".train") ? result.train().size() : result.test().size());
    }
  }
}
