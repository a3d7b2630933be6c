package org.kaffee.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fast version of bench/crash_kill.sh: a handful of SIGKILLs during training. */
class CrashHarnessTest {
  @TempDir
  Path dir;

  @Test
  void killedRunsKeepAConsistentSnapshotPairAndResumeToTheSameWeights() throws Exception {
    CrashHarness.Report report = new CrashHarness(dir, 7, 1500, 64, 30).run(3);
    assertTrue(report.failures().isEmpty(), report.toString());
    assertEquals(3, report.kills());
    assertTrue(report.resumedSeriesCompared() >= 1, report.toString());
  }
}
