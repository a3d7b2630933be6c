package org.kaffee.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Path;
import org.kaffee.tools.ParseLog;

/** Training logs through parse_log, down to the CSV text. */
class ParseLogFuzzTest {
  private static final Path DIR = FuzzRule.scratch("log");

  @FuzzTest(maxDuration = FuzzRule.BUDGET)
  void log(byte[] input) throws Exception {
    Path file = FuzzRule.write(DIR.resolve("train.log"), input);
    FuzzRule.check(() -> {
      ParseLog.Result result = ParseLog.parse(file);
      ParseLog.toCsv(result.train(), ',');
      ParseLog.toCsv(result.test(), ',');
    });
  }
}
