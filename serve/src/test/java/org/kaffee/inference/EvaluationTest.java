package org.kaffee.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kaffee.core.KaffeeException;
import org.kaffee.report.EvaluationReport;
import org.kaffee.testing.LogCapture;

/** The figures of evaluate on a hand-made case of six records and three classes. */
class EvaluationTest {
  @TempDir
  Path dir;

  private static Evaluation handMade(int worstKept) {
    Evaluation e = new Evaluation(3, worstKept);
    e.add("r1", 0, new float[] {0.7f, 0.2f, 0.1f});
    e.add("r2", 0, new float[] {0.3f, 0.6f, 0.1f});    // 0 taken for 1
    e.add("r3", 1, new float[] {0.1f, 0.8f, 0.1f});
    e.add("r4", 2, new float[] {0.5f, 0.1f, 0.4f});    // 2 taken for 0
    e.add("r5", 2, new float[] {0.2f, 0.2f, 0.6f});
    e.add("r6", 2, new float[] {0.45f, 0.1f, 0.45f});  // a tie with the true class: right, as in Caffe
    return e;
  }

  @Test
  void accuracyConfusionPrecisionRecall() {
    Evaluation e = handMade(10);
    assertEquals(6, e.records());
    assertEquals(4.0 / 6, e.accuracy(), 1e-12);
    assertEquals(1.0, e.top5(), 1e-12);
    long[][] expected = {{1, 1, 0}, {0, 1, 0}, {1, 0, 2}};
    for (int t = 0; t < 3; t++) {
      for (int p = 0; p < 3; p++) {
        assertEquals(expected[t][p], e.count(t, p), "cell " + t + "," + p);
      }
    }
    assertEquals(0.5, e.precision(0), 1e-12);
    assertEquals(0.5, e.precision(1), 1e-12);
    assertEquals(1.0, e.precision(2), 1e-12);
    assertEquals(0.5, e.recall(0), 1e-12);
    assertEquals(1.0, e.recall(1), 1e-12);
    assertEquals(2.0 / 3, e.recall(2), 1e-12);
    assertEquals(List.of(new Evaluation.Confusion(0, 1, 1), new Evaluation.Confusion(2, 0, 1)), e.mostConfused(5));
    assertEquals(List.of("r2", "r4"), e.worst().stream().map(Evaluation.Miss::name).toList());
    assertEquals(List.of("r2"), handMade(1).worst().stream().map(Evaluation.Miss::name).toList());
  }

  @Test
  void aClassNeverPredictedHasNoPrecision() {
    Evaluation e = new Evaluation(2, 5);
    e.add("a", 0, new float[] {0.9f, 0.1f});
    assertTrue(Double.isNaN(e.precision(1)));
    assertTrue(Double.isNaN(e.recall(1)));
  }

  @Test
  void labelsOutsideTheNetsClassesAreNamed() {
    Evaluation e = new Evaluation(3, 5);
    KaffeeException big = assertThrows(KaffeeException.class, () -> e.add("x.png", 3, new float[3]));
    assertEquals("x.png has label 3 but the net tells 3 classes apart", big.getMessage());
    KaffeeException none = assertThrows(KaffeeException.class, () -> e.add("y.png", -1, new float[3]));
    assertTrue(none.getMessage().startsWith("y.png has no label"), none.getMessage());
  }

  @Test
  void reportPrintsAndWritesTheMatrix() throws Exception {
    Evaluation e = handMade(10);
    String[] names = {"cat", "dog", "bird, small"};
    EvaluationReport report = new EvaluationReport(e, c -> names[c]);
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    String log = LogCapture.during(
        () -> report.print(new PrintStream(text, true, StandardCharsets.UTF_8), 5));
    String printed = text.toString(StandardCharsets.UTF_8);
    assertTrue(printed.contains("\"cat\" -> \"dog\": 1"), printed);
    assertTrue(printed.matches("(?s).*2\\s+\"bird, small\"\\s+3\\s+1\\.0000\\s+0\\.6667.*"), printed);
    assertTrue(printed.contains("r2: \"cat\" 0.3000; \"dog\" 0.6000"), printed);
    assertTrue(log.contains("] accuracy = 0.666667"), log);
    report.write(dir.resolve("eval"));
    assertEquals("true\\predicted,cat,dog,\"bird, small\"\ncat,1,1,0\ndog,0,1,0\n\"bird, small\",1,0,2\n",
        Files.readString(dir.resolve("eval/confusion_matrix.csv")));
    assertTrue(Files.readString(dir.resolve("eval/per_class.csv")).contains("0,cat,2,0.500000,0.500000\n"));
    BufferedImage png = ImageIO.read(dir.resolve("eval/confusion_matrix.png").toFile());
    assertTrue(png.getWidth() >= 600 && png.getHeight() >= 600);
    if (System.getenv("KAFFEE_KEEP_PLOT") != null) {
      Files.copy(dir.resolve("eval/confusion_matrix.png"), Path.of(System.getenv("KAFFEE_KEEP_PLOT")),
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
