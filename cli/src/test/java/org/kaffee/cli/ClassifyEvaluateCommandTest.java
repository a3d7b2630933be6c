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
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kaffee.api.Classifier;
import org.kaffee.api.Kaffee;
import org.kaffee.api.Preprocessing;
import org.kaffee.data.Image;
import org.kaffee.io.NetFiles;
import org.kaffee.io.ProtoFiles;
import org.kaffee.io.WorkDir;
import org.kaffee.log.Glog;
import org.kaffee.proto.Caffe.BlobProto;
import org.kaffee.proto.Caffe.LayerParameter;
import org.kaffee.proto.Caffe.NetParameter;
import org.kaffee.testing.TrainedLeNet;

/** classify and evaluate end to end on the trained LeNet: they agree with the API and with {@code test}. */
class ClassifyEvaluateCommandTest {
  /** Noise on ip2's weights, in units of their root mean square. */
  private static final double NOISE = 5;
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

  /**
   * The trained LeNet with noise on ip2's weights: wrong on a good share of its records, many of
   * them close calls, so evaluate and test agree record by record only if both feed the net the
   * same pixels (a preprocessing that merely keeps a confident argmax would not pass).
   */
  private Path imperfectWeights() {
    NetParameter.Builder weights = NetFiles.readNetBinary(lenet.weights).toBuilder();
    Random random = new Random(3);
    for (LayerParameter.Builder layer : weights.getLayerBuilderList()) {
      if (layer.getName().equals("ip2")) {
        BlobProto.Builder w = layer.getBlobsBuilder(0);
        double sumSquares = 0;
        for (float v : w.getDataList()) {
          sumSquares += v * v;
        }
        double rms = Math.sqrt(sumSquares / w.getDataCount());
        for (int i = 0; i < w.getDataCount(); i++) {
          w.setData(i, (float) (w.getData(i) + NOISE * rms * random.nextGaussian()));
        }
      }
    }
    Path file = dir.resolve("imperfect.caffemodel");
    ProtoFiles.writeBinary(file, weights.build());
    return file;
  }

  @Test
  void evaluateAgreesWithTestRecordByRecordOnAnImperfectNet() throws Exception {
    Path weights = imperfectWeights();
    // the TEST phase of the training net, on the images' LMDB, also putting out each record's probabilities
    String net = ProtoFiles.readString(Path.of("models/lenet/lenet_train_test.prototxt"))
        .replaceAll("source: \"[^\"]*\"", "source: \"" + lenet.lmdb + "\"")
        + "layer { name: \"prob\" type: \"Softmax\" bottom: \"ip2\" top: \"prob\" include { phase: TEST } }\n";
    Files.writeString(dir.resolve("net.prototxt"), net);
    assertEquals(0, kaffee("test", "--model=" + dir.resolve("net.prototxt"), "--weights=" + weights,
        "--iterations=2"), err.toString(StandardCharsets.UTF_8));
    float[][] prob = batchValues("prob", TrainedLeNet.IMAGES, 10);
    String testAccuracy = logLine("accuracy = ");
    log.reset();
    out.reset();
    assertEquals(0, kaffee("evaluate", "--model=" + deploy(), "--weights=" + weights, "--scale=0.00390625",
        "--worst=" + TrainedLeNet.IMAGES, "--output=" + dir.resolve("eval"), lenet.lmdb.toString()),
        err.toString(StandardCharsets.UTF_8));
    assertEquals(testAccuracy, logLine("accuracy = "));

    Map<Integer, String> expectedMisses = new TreeMap<>();
    long[][] confusion = new long[10][10];
    for (int n = 0; n < TrainedLeNet.IMAGES; n++) {
      int label = lenet.labels[n];
      int predicted = argmax(prob[n]);
      confusion[label][predicted]++;
      if (predicted != label) {
        expectedMisses.put(n, String.format(Locale.ROOT, "\"%d\" %.4f; \"%d\" %.4f", label, prob[n][label],
            predicted, prob[n][predicted]));
      }
    }
    assertTrue(expectedMisses.size() >= 20 && expectedMisses.size() <= 160,
        "the net should be imperfect: " + expectedMisses.size() + " of 200 wrong");
    Map<Integer, String> evaluateMisses = worstRecords(out.toString(StandardCharsets.UTF_8));
    for (int n : expectedMisses.keySet()) {
      assertProbabilitiesMatch(n, expectedMisses.get(n), evaluateMisses.get(n));
    }
    assertEquals(expectedMisses.keySet(), evaluateMisses.keySet(), "the records evaluate and test get wrong");
    List<String> matrix = Files.readAllLines(dir.resolve("eval/confusion_matrix.csv"));
    for (int label = 0; label < 10; label++) {
      StringBuilder row = new StringBuilder(Integer.toString(label));
      for (long count : confusion[label]) {
        row.append(',').append(count);
      }
      assertEquals(row.toString(), matrix.get(1 + label), "confusion matrix row " + label);
    }
    assertTrue(Files.size(dir.resolve("eval/confusion_matrix.png")) > 0);
  }

  /** The values test logged as {@code Batch i, NAME = v}, per record (batches in order). */
  private float[][] batchValues(String name, int records, int perRecord) {
    Matcher m = Pattern.compile("\\] Batch \\d+, " + name + " = (\\S+)").matcher(log.toString(StandardCharsets.UTF_8));
    float[][] values = new float[records][perRecord];
    int i = 0;
    while (m.find()) {
      values[i / perRecord][i % perRecord] = Float.parseFloat(m.group(1));
      i++;
    }
    assertEquals(records * perRecord, i, "values of " + name + " in test's log");
    return values;
  }

  /** evaluate's "worst records" lines by image number: {@code "label" p; "predicted" p}. */
  private static Map<Integer, String> worstRecords(String printed) {
    Matcher m = Pattern.compile("(?m)^  \\S+images/n(\\d{3})\\.png: (.*)$").matcher(printed);
    Map<Integer, String> misses = new TreeMap<>();
    while (m.find()) {
      misses.put(Integer.parseInt(m.group(1)), m.group(2));
    }
    return misses;
  }

  /** The classes equal and each probability within one unit in the fourth decimal (test logs 6 digits). */
  private static void assertProbabilitiesMatch(int n, String expected, String actual) {
    assertTrue(actual != null, "record " + n + " is wrong in test (" + expected + ") but evaluate does not list it");
    String[] e = expected.split("[ ;]+");
    String[] a = actual.split("[ ;]+");
    assertEquals(List.of(e[0], e[2]), List.of(a[0], a[2]), "record " + n + ": classes");
    for (int k : new int[] {1, 3}) {
      assertEquals(Double.parseDouble(e[k]), Double.parseDouble(a[k]), 1.01e-4, "record " + n + ": " + actual
          + " vs test's " + expected);
    }
  }

  private static int argmax(float[] values) {
    int best = 0;
    for (int i = 1; i < values.length; i++) {
      if (values[i] > values[best]) {
        best = i;
      }
    }
    return best;
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
