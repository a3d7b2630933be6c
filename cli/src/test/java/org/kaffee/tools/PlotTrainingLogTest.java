package org.kaffee.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kaffee.cli.Main;
import org.kaffee.core.KaffeeException;
import org.kaffee.report.PlotTrainingLog;
import org.kaffee.report.PlotTrainingLog.Which;
import org.kaffee.report.PlotTrainingLog.XAxis;
import org.kaffee.report.PlotTrainingLog.YAxis;

class PlotTrainingLogTest {
  private static BufferedImage read(Path png) throws IOException {
    assertTrue(Files.size(png) > 1000, png + " is too small");
    BufferedImage image = ImageIO.read(png.toFile());
    assertTrue(image != null, png + " is not a readable PNG");
    return image;
  }

  /** Pixels close to a colour (the curves' colours are not used by axes or text). */
  private static int count(BufferedImage image, int rgb) {
    int n = 0;
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        int p = image.getRGB(x, y);
        if (Math.abs(((p >> 16) & 255) - ((rgb >> 16) & 255)) < 24
            && Math.abs(((p >> 8) & 255) - ((rgb >> 8) & 255)) < 24
            && Math.abs((p & 255) - (rgb & 255)) < 24) {
          n++;
        }
      }
    }
    return n;
  }

  @Test
  void drawsTrainAndTestLossOfTheRequestedSize(@TempDir Path dir) throws IOException {
    Path out = dir.resolve("loss.png");
    int curves = PlotTrainingLog.plot(List.of(ParseLogTest.SMALL_CNN), out, XAxis.ITERS,
        YAxis.LOSS, Which.BOTH, 800, 500);
    assertEquals(2, curves);
    BufferedImage image = read(out);
    assertEquals(800, image.getWidth());
    assertEquals(500, image.getHeight());
    assertTrue(count(image, 0x1f77b4) > 200, "train curve (blue) missing");
    assertTrue(count(image, 0xd62728) > 200, "test curve (red) missing");
  }

  @Test
  void commandDefaultsTo1000x600AndAcceptsTheCaffeForm(@TempDir Path dir) throws IOException {
    Path out = dir.resolve("acc.png");
    assertEquals(0, Main.run("plot_training_log", ParseLogTest.SMALL_CNN.toString(),
        out.toString(), "--x", "seconds", "--y", "accuracy"));
    BufferedImage image = read(out);
    assertEquals(1000, image.getWidth());
    assertEquals(600, image.getHeight());
    // accuracy is a test output only: the test colour, across most of the plot's width
    assertTrue(count(image, 0xd62728) > 200, "test accuracy curve (red) missing");
    assertEquals(0, count(image, 0x1f77b4), "a train curve where there is none");
    assertTrue(span(image, 0xd62728) > 0.5 * image.getWidth(), "the curve does not cross the plot");

    Path lr = dir.resolve("lr.png");
    // Caffe's plot_training_log.py: chart type 4 = train learning rate vs. iters, two logs
    assertEquals(0, Main.run("plot_training_log", "4", lr.toString(),
        ParseLogTest.LR_STEP.toString(), ParseLogTest.SMALL_CNN.toString()));
    BufferedImage two = read(lr);
    assertEquals(1000, two.getWidth());
    // one curve per log, each in its own colour
    assertTrue(count(two, 0x1f77b4) > 200, "first log's curve (blue) missing");
    assertTrue(count(two, 0x2ca02c) > 200, "second log's curve (green) missing");
    assertEquals(0, count(two, 0xd62728), "a test curve on a train-only chart");
  }

  /** Width of the columns holding pixels of a colour (first to last). */
  private static int span(BufferedImage image, int rgb) {
    int first = -1;
    int last = -1;
    for (int x = 0; x < image.getWidth(); x++) {
      BufferedImage column = image.getSubimage(x, 0, 1, image.getHeight());
      if (count(column, rgb) > 0) {
        first = first < 0 ? x : first;
        last = x;
      }
    }
    return first < 0 ? 0 : last - first + 1;
  }

  @Test
  void failsClearlyOnALogWithoutIterations(@TempDir Path dir) throws IOException {
    Path log = Files.writeString(dir.resolve("empty.log"),
        "I1123 12:00:00.000000  4242 Net.java:10] Network initialization done.\n");
    Path out = dir.resolve("out.png");
    KaffeeException e = assertThrows(KaffeeException.class, () -> PlotTrainingLog.plot(
        List.of(log), out, XAxis.ITERS, YAxis.LOSS, Which.BOTH, 1000, 600));
    assertTrue(e.getMessage().contains("no training iterations"), e.getMessage());
    assertTrue(e.getMessage().contains(log.toString()), e.getMessage());
    assertFalse(Files.exists(out));
    assertEquals(1, Main.run("plot_training_log", log.toString(), out.toString()));
  }

  @Test
  void otherErrorsNameTheirCause(@TempDir Path dir) {
    Path out = dir.resolve("out.png");
    Path missing = dir.resolve("missing.log");
    KaffeeException e = assertThrows(KaffeeException.class, () -> PlotTrainingLog.plot(
        List.of(missing), out, XAxis.ITERS, YAxis.LOSS, Which.BOTH, 1000, 600));
    assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    // no accuracy in a log without a test net: says which outputs there are
    e = assertThrows(KaffeeException.class, () -> PlotTrainingLog.plot(
        List.of(ParseLogTest.LR_STEP), out, XAxis.ITERS, YAxis.ACCURACY, Which.BOTH, 1000, 600));
    assertTrue(e.getMessage().contains("train outputs: loss"), e.getMessage());
    // arguments swapped: the output must be a .png, the log is never overwritten
    assertEquals(1, Main.run("plot_training_log", out.toString(),
        ParseLogTest.SMALL_CNN.toString()));
    assertEquals(1, Main.run("plot_training_log", "9", out.toString(),
        ParseLogTest.SMALL_CNN.toString()));
    assertFalse(Files.exists(out));
  }
}
