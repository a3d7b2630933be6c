package org.kaffee.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.protobuf.ByteString;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kaffee.data.Database;
import org.kaffee.data.Image;
import org.kaffee.proto.Caffe.AnnotatedDatum;
import org.kaffee.proto.Caffe.AnnotationGroup;
import org.kaffee.proto.Caffe.Datum;
import org.kaffee.proto.Caffe.NormalizedBBox;
import org.kaffee.testing.TinyDetectionNet;

/**
 * evaluate --detection end to end on {@link TinyDetectionNet}, whose detections are the same in
 * every image: cats at the top-left (0.9), bottom-left (0.3), top-right (0.1) and bottom-right
 * (0.05) quarters, dogs at the top-right (0.7), bottom-right (0.55) and bottom-left (0.1).
 */
class EvaluateDetectionCommandTest {
  private static final double[] TOP_LEFT = {0, 0, 0.5, 0.5};
  private static final double[] TOP_RIGHT = {0.5, 0, 1, 0.5};
  private static final double[] BOTTOM_LEFT = {0, 0.5, 0.5, 1};
  private static final double[] BOTTOM_RIGHT = {0.5, 0.5, 1, 1};

  @TempDir
  Path dir;
  private CommandOutput command;
  private PrintStream savedOut;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  @BeforeEach
  void setUp() throws Exception {
    TinyDetectionNet.write(dir);
    command = new CommandOutput(dir);
    savedOut = System.out;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restore() {
    System.setOut(savedOut);
    command.close();
  }

  private static AnnotationGroup group(int label, boolean difficult, double[]... boxes) {
    AnnotationGroup.Builder g = AnnotationGroup.newBuilder().setGroupLabel(label);
    for (double[] b : boxes) {
      g.addAnnotationBuilder().setBbox(NormalizedBBox.newBuilder().setXmin((float) b[0]).setYmin((float) b[1])
          .setXmax((float) b[2]).setYmax((float) b[3]).setDifficult(difficult));
    }
    return g.build();
  }

  private static byte[] annotated(int height, int width, AnnotationGroup... groups) {
    Datum datum = Datum.newBuilder().setChannels(3).setHeight(height).setWidth(width)
        .setData(ByteString.copyFrom(new byte[3 * height * width])).build();
    AnnotatedDatum.Builder a = AnnotatedDatum.newBuilder().setDatum(datum).setType(AnnotatedDatum.AnnotationType.BBOX);
    for (AnnotationGroup g : groups) {
      a.addAnnotationGroup(g);
    }
    return a.build().toByteArray();
  }

  private int evaluate(String... flags) {
    String[] args = new String[flags.length + 5];
    args[0] = "evaluate";
    args[1] = "--detection";
    args[2] = "--model=tiny_ssd.prototxt";
    args[3] = "--weights=tiny_ssd.caffemodel";
    args[4] = "--labels=labels.txt";
    System.arraycopy(flags, 0, args, 5, flags.length);
    return command.run(args);
  }

  @Test
  void meanAveragePrecisionOfAnAnnotatedDatabase() throws Exception {
    try (Database db = Database.open("lmdb", dir.resolve("annotated_lmdb"), Database.Mode.NEW)) {
      // a cat where the net's best cat is, a dog at its second dog
      db.put("00000000_a".getBytes(StandardCharsets.UTF_8), annotated(40, 40, group(1, false, TOP_LEFT),
          group(2, false, BOTTOM_RIGHT)));
      // a cat at the net's 0.3 cat, a difficult dog at its best dog, a dog where it sees none
      db.put("00000001_b".getBytes(StandardCharsets.UTF_8), annotated(20, 30, group(1, false, BOTTOM_LEFT),
          group(2, true, TOP_RIGHT), group(2, false, TOP_LEFT)));
      db.commit();
    }
    assertEquals(0, evaluate("--output=report", "annotated_lmdb"), command.err());
    // cat: 0.9 T, 0.9 F, 0.3 F, 0.3 T, then 4 F (ties in input order): precision 1, 1/2, 1/3, 1/2 at
    // recall 1/2, 1/2, 1/2, 1. dog: 0.7 F, 0.55 T, 0.55 F, 0.1 F, 0.1 F (the 0.7 on the difficult
    // dog not scored): precision 0, 1/2, ... at recall 0, 1/2, ...
    double cat11 = (6 + 5 * 0.5) / 11;
    double dog11 = 6 * 0.5 / 11;
    double catAll = 0.5 + 0.5 * 0.5;
    double dogAll = 0.5 * 0.5;
    String printed = out.toString(StandardCharsets.UTF_8);
    assertTrue(printed.contains(String.format(java.util.Locale.ROOT, "%-6d %-24s %8d %11d %11.4f %14.4f%n", 1,
        "\"cat\"", 2, 8, cat11, catAll)), printed);
    assertTrue(printed.contains(String.format(java.util.Locale.ROOT, "%-6d %-24s %8d %11d %11.4f %14.4f%n", 2,
        "\"dog\"", 2, 5, dog11, dogAll)), printed);
    assertTrue(printed.contains(String.format(java.util.Locale.ROOT, "mAP MaxIntegral = %.4f", (catAll + dogAll) / 2)),
        printed);
    List<String> log = command.takeMessages();
    assertTrue(log.contains("mAP = " + org.kaffee.log.CppFloat.format((float) ((cat11 + dog11) / 2))), log.toString());
    JsonObject json = JsonParser.parseString(Files.readString(dir.resolve("report/average_precision.json")))
        .getAsJsonObject();
    assertEquals((cat11 + dog11) / 2, json.get("map_11point").getAsDouble(), 1e-6);
    assertEquals((catAll + dogAll) / 2, json.get("map_all_points").getAsDouble(), 1e-6);
    assertEquals(3, Files.readAllLines(dir.resolve("report/average_precision.csv")).size(), "header and two classes");
  }

  @Test
  void vocAnnotationFilesInAList() throws Exception {
    Files.createDirectories(dir.resolve("voc"));
    Files.write(dir.resolve("voc/a.png"), new Image(3, 30, 40, new byte[3 * 30 * 40]).encode("png"));
    Files.writeString(dir.resolve("voc/a.xml"), """
        <annotation><filename>a.png</filename><size><width>40</width><height>30</height><depth>3</depth></size>
        <object><name>cat</name><difficult>0</difficult><bndbox><xmin>0</xmin><ymin>0</ymin><xmax>20</xmax><ymax>15</ymax></bndbox></object>
        <object><name>dog</name><bndbox><xmin>20</xmin><ymin>15</ymin><xmax>40</xmax><ymax>30</ymax></bndbox>
          <part><name>head</name><bndbox><xmin>0</xmin><ymin>0</ymin><xmax>1</xmax><ymax>1</ymax></bndbox></part></object>
        </annotation>
        """);
    Files.writeString(dir.resolve("list.txt"), "voc/a.png voc/a.xml\n");
    assertEquals(0, evaluate("--ap_version=MaxIntegral", "list.txt"), command.err());
    // cat: 0.9 T then misses: AP 1; dog: 0.7 F, 0.55 T, 0.1 F: precision 1/2 at full recall
    assertTrue(command.takeMessages().contains("mAP = 0.75"));
    String printed = out.toString(StandardCharsets.UTF_8);
    assertTrue(printed.contains("mAP 11point = 0.7500"), printed);
  }

  @Test
  void badInputsAreNamed() throws Exception {
    Files.writeString(dir.resolve("list.txt"), "voc/a.png voc/a.xml\n");
    assertEquals(1, command.run("evaluate", "--detection", "--model=tiny_ssd.prototxt",
        "--weights=tiny_ssd.caffemodel", "list.txt"));
    assertTrue(command.err().contains("list.txt: a list of VOC annotation files needs --labels"), command.err());
    Files.createDirectories(dir.resolve("voc"));
    Files.write(dir.resolve("voc/a.png"), new Image(3, 30, 40, new byte[3 * 30 * 40]).encode("png"));
    Files.writeString(dir.resolve("voc/a.xml"),
        "<annotation><object><name>horse</name><bndbox><xmin>0</xmin><ymin>0</ymin><xmax>1</xmax><ymax>1</ymax>"
            + "</bndbox></object></annotation>");
    assertEquals(1, evaluate("list.txt"));
    assertTrue(command.err().contains("unknown name 'horse' (not in the label map)"), command.err());
    try (Database db = Database.open("lmdb", dir.resolve("plain_lmdb"), Database.Mode.NEW)) {
      db.put("0".getBytes(StandardCharsets.UTF_8), Datum.newBuilder().setChannels(3).setHeight(2).setWidth(2)
          .setData(ByteString.copyFrom(new byte[12])).build().toByteArray());
      db.commit();
    }
    assertEquals(1, evaluate("plain_lmdb"));
    assertTrue(command.err().contains("plain_lmdb:0: not an AnnotatedDatum"), command.err());
    assertEquals(1, command.run("evaluate", "--model=tiny_ssd.prototxt", "--ap_version=MaxIntegral", "plain_lmdb"));
    assertTrue(command.err().contains("--overlap_threshold and --ap_version score detections: add --detection"),
        command.err());
  }
}
