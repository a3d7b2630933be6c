package org.kaffee.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kaffee.api.Classifier;
import org.kaffee.api.Kaffee;
import org.kaffee.api.Preprocessing;
import org.kaffee.data.Image;
import org.kaffee.data.ImagesetConverter;
import org.kaffee.io.ProtoFiles;
import org.kaffee.io.WorkDir;
import org.kaffee.log.Glog;
import org.kaffee.testing.TrainedLeNet;

/** classify and evaluate end to end on the trained LeNet: they agree with the API and with {@code test}. */
class ClassifyEvaluateCommandTest {
  private static TrainedLeNet lenet;

  @TempDir
  Path dir;
  private Path savedWorkDir;
  private PrintStream savedOut;
  private PrintStream savedErr;
  private final ByteArrayOutputStream log = new ByteArrayOutputStream();
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @BeforeAll
  static void train() {
    lenet = TrainedLeNet.get();
  }

  @BeforeEach
  void capture() {
    savedWorkDir = WorkDir.get();
    WorkDir.set(lenet.dir);
    savedOut = System.out;
    savedErr = System.err;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    Glog.setOutput(new PrintStream(log, true, StandardCharsets.UTF_8));
    Glog.setQuiet(false);
  }

  @AfterEach
  void restore() {
    WorkDir.set(savedWorkDir);
    System.setOut(savedOut);
    System.setErr(savedErr);
    Glog.setOutput(System.err);
  }

  private static String deploy() {
    return TrainedLeNet.DEPLOY.toAbsolutePath().toString();
  }

  private int kaffee(String... args) {
    return Main.run(args);
  }

  private String logLine(String prefix) {
    for (String line : log.toString(StandardCharsets.UTF_8).split("\n")) {
      int k = line.indexOf("] " + prefix);
      if (k >= 0) {
        return line.substring(k + 2);
      }
    }
    return null;
  }

  @Test
  void classifyWritesWhatTheApiComputes() throws Exception {
    int code = kaffee("classify", "--model=" + deploy(), "--weights=lenet.caffemodel", "--scale=0.00390625",
        "--top_k=2", "--batch_size=7", "--output=" + dir.resolve("preds.csv"), "list.txt");
    assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
    Classifier api = new Classifier(Kaffee.load(TrainedLeNet.DEPLOY, lenet.weights),
        new Preprocessing().scale(TrainedLeNet.SCALE), null);
    List<String> rows = Files.readAllLines(dir.resolve("preds.csv"));
    assertEquals("input,label,rank,class,name,probability", rows.get(0));
    assertEquals(1 + 2 * TrainedLeNet.IMAGES, rows.size());
    for (int n = 0; n < TrainedLeNet.IMAGES; n += 17) {
      Image image = Image.read(lenet.dir.resolve(TrainedLeNet.imageName(n)), false, "test");
      float[] p = api.probabilities(List.of(image), List.of("x"))[0];
      String[] first = rows.get(1 + 2 * n).split(",");
      assertEquals(TrainedLeNet.imageName(n), first[0]);
      assertEquals(lenet.labels[n], Integer.parseInt(first[1]));
      assertEquals("1", first[2]);
      int predicted = Integer.parseInt(first[3]);
      assertEquals(api.top(p, 1).get(0).index(), predicted);
      assertEquals(p[predicted], Float.parseFloat(first[5]), 1e-6f);
    }
    String printed = out.toString(StandardCharsets.UTF_8);
    assertTrue(printed.contains("---------- Prediction for images/n000.png ----------\n"), printed);
    assertTrue(logLine("Classified 200 images") != null, log.toString());
  }

  @Test
  void classifyTakesFilesDirectoriesAndWritesJson() throws Exception {
    Files.writeString(dir.resolve("labels.txt"), "zero\none\ntwo\nthree\nfour\nfive\nsix\nseven\neight\nnine\n");
    int code = kaffee("classify", "--model=" + deploy(), "--weights=lenet.caffemodel", "--scale=0.00390625",
        "--labels=" + dir.resolve("labels.txt"), "--top_k=1", "--output=" + dir.resolve("preds.json"),
        TrainedLeNet.imageName(3), lenet.dir.resolve("images").toString());
    assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
    JsonArray records = JsonParser.parseString(Files.readString(dir.resolve("preds.json"))).getAsJsonArray();
    assertEquals(1 + TrainedLeNet.IMAGES, records.size());
    var first = records.get(0).getAsJsonObject();
    assertEquals(TrainedLeNet.imageName(3), first.get("input").getAsString());
    assertEquals("three", first.getAsJsonArray("predictions").get(0).getAsJsonObject().get("name").getAsString());
    assertTrue(out.toString(StandardCharsets.UTF_8).contains(" - \"three\"\n"));
  }

  @Test
  void aBadImageInAListIsReportedAndSkipped() throws Exception {
    Files.writeString(dir.resolve("broken.png"), "not a png");
    Path list = dir.resolve("list.txt");
    Files.writeString(list, dir.resolve("broken.png") + " 1\n" + lenet.dir.resolve(TrainedLeNet.imageName(4)) + " 4\n");
    int code = kaffee("evaluate", "--model=" + deploy(), "--weights=lenet.caffemodel", "--scale=0.00390625",
        list.toString());
    assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
    String text = log.toString(StandardCharsets.UTF_8);
    assertTrue(text.contains("skipping " + dir.resolve("broken.png") + ": image: " + dir.resolve("broken.png")
        + ": cannot decode image"), text);
    assertEquals("accuracy = 1", logLine("accuracy = "));
  }

  @Test
  void evaluateGivesTheAccuracyTestGivesOnTheSameRecords() throws Exception {
    // Relabel the images (label 7n mod 10) so the net is right on a fifth of them only.
    StringBuilder relabelled = new StringBuilder();
    for (int n = 0; n < TrainedLeNet.IMAGES; n++) {
      relabelled.append(TrainedLeNet.imageName(n)).append(' ').append(7 * n % 10).append('\n');
    }
    Path list = dir.resolve("relabelled.txt");
    Files.writeString(list, relabelled);
    ImagesetConverter.Options gray = new ImagesetConverter.Options();
    gray.gray = true;
    Path db = dir.resolve("relabelled_lmdb");
    ImagesetConverter.convert(lenet.dir + "/", list, db, gray);
    String net = ProtoFiles.readString(Path.of("models/lenet/lenet_train_test.prototxt"))
        .replaceAll("source: \"[^\"]*\"", "source: \"" + db + "\"");
    Files.writeString(dir.resolve("net.prototxt"), net);

    assertEquals(0, kaffee("test", "--model=" + dir.resolve("net.prototxt"), "--weights=lenet.caffemodel",
        "--iterations=2"), err.toString(StandardCharsets.UTF_8));
    String testAccuracy = logLine("accuracy = ");
    log.reset();
    assertEquals(0, kaffee("evaluate", "--model=" + deploy(), "--weights=lenet.caffemodel", "--scale=0.00390625",
        "--output=" + dir.resolve("eval"), db.toString()), err.toString(StandardCharsets.UTF_8));
    assertEquals("accuracy = 0.2", testAccuracy);
    assertEquals(testAccuracy, logLine("accuracy = "));
    assertTrue(logLine("top5 = ") != null);
    assertTrue(Files.size(dir.resolve("eval/confusion_matrix.png")) > 0);
    List<String> matrix = Files.readAllLines(dir.resolve("eval/confusion_matrix.csv"));
    assertEquals(11, matrix.size());
    // True label 7n mod 10 for an image of class n mod 10: row 0 holds class 0 (n = 0 mod 10) only.
    assertEquals("0,20,0,0,0,0,0,0,0,0,0", matrix.get(1));
    assertEquals("1,0,0,0,20,0,0,0,0,0,0", matrix.get(2));
  }

  @Test
  void badInputGivesOneLine() throws Exception {
    assertEquals(1, kaffee("classify", "--model=" + deploy(), "--weights=missing.caffemodel", "list.txt"));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains(
        "kaffee classify: error: --weights=missing.caffemodel: no such file"), err.toString());
    err.reset();
    assertEquals(1, kaffee("classify", "--model=" + deploy(), "--weights=lenet.caffemodel", "nothing.txt"));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("kaffee classify: error: INPUT nothing.txt: no such file"),
        err.toString());
    err.reset();
    Files.writeString(dir.resolve("few.txt"), "a\nb\n");
    assertEquals(1, kaffee("classify", "--model=" + deploy(), "--weights=lenet.caffemodel",
        "--labels=" + dir.resolve("few.txt"), "list.txt"));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("the labels file has 2 labels but the net's output"),
        err.toString());
    err.reset();
    assertEquals(1, kaffee("evaluate", "--model=" + deploy(), "--weights=lenet.caffemodel",
        TrainedLeNet.imageName(0)));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("images/n000.png has no label"), err.toString());
  }
}
