package org.kaffee.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.kaffee.core.KaffeeException;
import org.kaffee.data.Image;
import org.kaffee.inference.Evaluation;
import org.kaffee.testing.QuietLog;
import org.kaffee.visual.PictureFiles;

/**
 * evaluate's report files and visualize's pictures go through temporary files: a write that
 * fails (here: a directory stands where the temporary file goes, as a full disk would stop
 * it) leaves the earlier file of that name as it was and no temporary file.
 */
@ExtendWith(QuietLog.class)
class AtomicReportFilesTest {
  @TempDir
  Path dir;

  private static Evaluation evaluation() {
    Evaluation e = new Evaluation(2, 5);
    e.add("a", 0, new float[] {0.9f, 0.1f});
    e.add("b", 1, new float[] {0.6f, 0.4f});
    return e;
  }

  private static void assertFailsKeeping(Runnable write, Path file, byte[] earlier) throws Exception {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.createDirectory(tmp);
    KaffeeException e = assertThrows(KaffeeException.class, write::run);
    assertTrue(e.getMessage().contains(file.getParent().toString()), e.getMessage());
    assertArrayEquals(earlier, Files.readAllBytes(file), file + " changed");
    assertFalse(Files.exists(tmp), "the temporary file was left behind");
  }

  @Test
  void aFailedCsvOfTheEvaluationKeepsTheEarlierOne() throws Exception {
    Path out = Files.createDirectories(dir.resolve("eval"));
    byte[] earlier = "earlier".getBytes();
    Path perClass = Files.write(out.resolve("per_class.csv"), earlier);
    EvaluationReport report = new EvaluationReport(evaluation(), Integer::toString);
    assertFailsKeeping(() -> report.write(out), perClass, earlier);
    assertEquals("true\\predicted,0,1\n0,1,0\n1,1,0\n", Files.readString(out.resolve("confusion_matrix.csv")));
  }

  @Test
  void aFailedConfusionPlotKeepsTheEarlierOne() throws Exception {
    Path out = Files.createDirectories(dir.resolve("eval"));
    byte[] earlier = {1, 2, 3};
    Path png = Files.write(out.resolve("confusion_matrix.png"), earlier);
    assertFailsKeeping(() -> ConfusionPlot.write(evaluation(), Integer::toString, png), png, earlier);
  }

  @Test
  void aFailedPictureKeepsTheEarlierOne() throws Exception {
    PictureFiles files = new PictureFiles(dir.resolve("pictures"));
    Image image = new Image(1, 2, 2, new byte[] {0, 64, (byte) 128, (byte) 255});
    Path picture = files.write("conv1", image);
    byte[] earlier = Files.readAllBytes(picture);
    assertFailsKeeping(() -> files.writeBytes("conv1.png", new byte[] {9}), picture, earlier);
  }
}
