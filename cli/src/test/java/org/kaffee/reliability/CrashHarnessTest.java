package org.kaffee.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fast version of bench/crash_kill.sh: a handful of SIGKILLs during training, aimed at
 * snapshot writes. 2048 hidden units make 2 MB of weights and as much momentum, so each write
 * lasts long enough to be hit; at least one kill must land inside one, or the test proved nothing.
 * The harness's data makes its snapshots fall mid-epoch, so every resumed series also checks that
 * the data positions and generators came back (weights and logged losses as the uninterrupted run).
 */
class CrashHarnessTest {
  @TempDir
  Path dir;

  @Test
  void killedRunsKeepAConsistentSnapshotPairAndResumeToTheSameWeights() throws Exception {
    CrashHarness.Report report = new CrashHarness(dir, 7, 1500, 2048, 30, true).run(3);
    assertTrue(report.failures().isEmpty(), report.toString());
    assertEquals(3, report.kills());
    assertTrue(report.killsInsideWrites() >= 1, "no kill landed inside a snapshot write: " + report);
    assertTrue(report.resumedSeriesCompared() >= 1, report.toString());
    assertTrue(report.midEpochResumes() >= 1, "no run resumed from a mid-epoch snapshot: " + report);
  }
}
