package org.kaffee.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kaffee.cli.Main;
import org.kaffee.core.KaffeeException;
import org.kaffee.io.ProtoFiles;
import org.kaffee.proto.Caffe.NetParameter;
import org.kaffee.proto.Caffe.Phase;
import org.kaffee.testing.Requirements;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

class DrawNetTest {
  static final String SMALL_NET = """
      name: "small"
      layer { name: "data" type: "Input" top: "data" top: "label"
              input_param { shape { dim: 4 dim: 1 dim: 8 dim: 8 } shape { dim: 4 } } }
      layer { name: "conv1" type: "Convolution" bottom: "data" top: "conv1"
              convolution_param { num_output: 6 kernel_size: 3 stride: 2 pad: 1 } }
      layer { name: "relu1" type: "ReLU" bottom: "conv1" top: "conv1" }
      layer { name: "pool1" type: "Pooling" bottom: "conv1" top: "pool1"
              pooling_param { pool: AVE kernel_h: 2 kernel_w: 3 stride: 2 } }
      layer { name: "ip1" type: "InnerProduct" bottom: "pool1" top: "ip1"
              inner_product_param { num_output: 10 } }
      layer { name: "acc" type: "Accuracy" bottom: "ip1" bottom: "label" top: "accuracy"
              include { phase: TEST } }
      layer { name: "loss" type: "SoftmaxWithLoss" bottom: "ip1" bottom: "label" top: "loss" }
      """;

  private static NetParameter parse(String text) {
    return ProtoFiles.parseText(text, "test.prototxt", NetParameter.newBuilder()).build();
  }

  @Test
  void dotHasEveryLayerBlobAndEdge() {
    String dot = DrawNet.toDot(parse(SMALL_NET), DrawNet.Options.defaults(), Map.of());
    assertTrue(dot.startsWith("digraph \"small\" {\n  graph [rankdir=LR];"), dot);
    for (String node : new String[] {"data_Input", "conv1_Convolution", "relu1_ReLU",
        "pool1_Pooling", "ip1_InnerProduct", "acc_Accuracy", "loss_SoftmaxWithLoss",
        "data_blob", "label_blob", "conv1_blob", "pool1_blob", "ip1_blob", "accuracy_blob",
        "loss_blob"}) {
      assertTrue(dot.contains("\"" + node + "\" [label="), "node " + node + " missing:\n" + dot);
    }
    for (String edge : new String[] {
        "\"data_Input\" -> \"data_blob\"", "\"data_Input\" -> \"label_blob\"",
        "\"data_blob\" -> \"conv1_Convolution\"", "\"conv1_Convolution\" -> \"conv1_blob\" [label=\"6\"]",
        "\"conv1_blob\" -> \"relu1_ReLU\"", "\"relu1_ReLU\" -> \"conv1_blob\"",
        "\"conv1_blob\" -> \"pool1_Pooling\"", "\"pool1_Pooling\" -> \"pool1_blob\"",
        "\"pool1_blob\" -> \"ip1_InnerProduct\"", "\"ip1_InnerProduct\" -> \"ip1_blob\" [label=\"10\"]",
        "\"ip1_blob\" -> \"acc_Accuracy\"", "\"label_blob\" -> \"acc_Accuracy\"",
        "\"acc_Accuracy\" -> \"accuracy_blob\"", "\"ip1_blob\" -> \"loss_SoftmaxWithLoss\"",
        "\"label_blob\" -> \"loss_SoftmaxWithLoss\"", "\"loss_SoftmaxWithLoss\" -> \"loss_blob\""}) {
      assertTrue(dot.contains("  " + edge + ";\n") || dot.contains("  " + edge + " [label="),
          "edge " + edge + " missing:\n" + dot);
    }
    assertEquals(16, dot.lines().filter(l -> l.contains(" -> ")).count(), dot);
    // key parameters and Caffe's colours
    assertTrue(dot.contains("label=\"conv1\\n(Convolution)\\nkernel size: 3\\nstride: 2\\npad: 1"
        + "\\nnum_output: 6\", shape=record, style=filled, fillcolor=\"#FF5050\""), dot);
    assertTrue(dot.contains("pool1\\n(Pooling AVE)\\nkernel size: 2x3\\nstride: 2\\npad: 0"), dot);
    assertTrue(dot.contains("\"relu1_ReLU\" [label=\"relu1\\n(ReLU)\", shape=record, style=filled,"
        + " fillcolor=\"#90EE90\"]"), dot);
    assertTrue(dot.contains("\"pool1_blob\" [label=\"pool1\", shape=octagon"), dot);
    assertTrue(dot.contains("acc\\n(Accuracy)\\nTEST only"), dot);
  }

  @Test
  void phaseRankdirAndShapes() {
    NetParameter net = parse(SMALL_NET);
    String train = DrawNet.toDot(net, new DrawNet.Options("TB", Phase.TRAIN, true, true),
        Map.of("pool1", new int[] {4, 6, 2, 1}));
    assertFalse(train.contains("acc_Accuracy"), train);
    assertTrue(train.contains("rankdir=TB"), train);
    assertTrue(train.contains("conv1 (Convolution) kernel size: 3 stride: 2 pad: 1 num_output: 6"
        + " lr mult: 1.0, 1.0"), train);
    assertTrue(train.contains("\"pool1_blob\" [label=\"pool1\\n(4x6x2x1)\""), train);
    assertThrows(KaffeeException.class, () -> new DrawNet.Options("XY", null, false, true));
  }

  @Test
  void blobShapesWhenTheNetBuildsElseWhy() {
    String[] why = {null};
    Map<String, int[]> shapes = DrawNet.blobShapes(parse("""
        layer { name: "in" type: "Input" top: "x" input_param { shape { dim: 2 dim: 3 } } }
        layer { name: "d" type: "DummyData" top: "y" dummy_data_param { shape { dim: 5 } } }
        """), null, why);
    assertNull(why[0]);
    assertEquals(2, shapes.get("x")[0]);
    assertEquals(3, shapes.get("x")[1]);
    assertEquals(5, shapes.get("y")[0]);

    shapes = DrawNet.blobShapes(parse("""
        layer { name: "in" type: "Input" top: "x" input_param { shape { dim: 2 } } }
        layer { name: "odd" type: "NoSuchLayerType" bottom: "x" top: "y" }
        """), null, why);
    assertTrue(shapes.isEmpty());
    assertTrue(why[0].contains("NoSuchLayerType"), why[0]);

    why[0] = null;
    shapes = DrawNet.blobShapes(parse("""
        layer { name: "h" type: "HDF5Data" top: "x" hdf5_data_param { source: "/no/such/list.txt"
                batch_size: 2 } }
        """), Phase.TEST, why);
    assertTrue(shapes.isEmpty());
    assertTrue(why[0].contains("/no/such/list.txt"), why[0]);
  }

  @Test
  void commandWritesDotAndExplainsAMissingGraphviz(@TempDir Path dir) throws IOException {
    Path net = Files.writeString(dir.resolve("small.prototxt"), SMALL_NET);
    Path dot = dir.resolve("small.dot");
    assertEquals(0, Main.run("draw_net", net.toString(), dot.toString(), "--rankdir", "TB"));
    String text = Files.readString(dot);
    assertTrue(text.contains("\"loss_SoftmaxWithLoss\" -> \"loss_blob\""), text);
    assertTrue(text.contains("rankdir=TB"), text);

    // an image without Graphviz: DOT next to it, and a non-zero exit
    Path png = dir.resolve("graph.png");
    KaffeeException e = assertThrows(KaffeeException.class,
        () -> DrawNet.render(text, png, "kaffee-no-such-dot-program"));
    assertTrue(e.getMessage().contains("not installed"), e.getMessage());
    assertTrue(e.getMessage().contains(dir.resolve("graph.dot").toString()), e.getMessage());
    assertEquals(text, Files.readString(dir.resolve("graph.dot")));
    assertFalse(Files.exists(png));
    assertEquals(1, Main.run("draw_net", net.toString(), png.toString(),
        "--dot-program", "kaffee-no-such-dot-program"));
  }

  @Test
  void commandRendersPngAndSvgThroughGraphviz(@TempDir Path dir) throws Exception {
    Requirements.requireGraphviz();
    Path net = Files.writeString(dir.resolve("small.prototxt"), SMALL_NET);

    Path png = dir.resolve("small.png");
    assertEquals(0, Main.run("draw_net", net.toString(), png.toString()));
    BufferedImage image = ImageIO.read(png.toFile());
    assertTrue(image != null, "not a readable PNG");
    // rankdir LR: a graph of 6 layers and their blobs is wider than tall
    assertTrue(image.getWidth() > image.getHeight(), image.getWidth() + "x" + image.getHeight());
    // the convolution's box is filled with its colour (#FF5050), ReLU's with #90EE90
    assertTrue(pixels(image, 0xFF5050) > 100, "no convolution box in the picture");
    assertTrue(pixels(image, 0x90EE90) > 100, "no ReLU box in the picture");

    Path svg = dir.resolve("small.svg");
    assertEquals(0, Main.run("draw_net", net.toString(), svg.toString(), "--rankdir", "TB"));
    String text = Files.readString(svg);
    DocumentBuilderFactory xml = DocumentBuilderFactory.newInstance();
    // Graphviz names the SVG DTD by URL: never fetch it
    xml.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
    Document doc = xml.newDocumentBuilder()
        .parse(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    assertEquals("svg", doc.getDocumentElement().getTagName());
    NodeList texts = doc.getElementsByTagName("text");
    StringBuilder labels = new StringBuilder();
    for (int i = 0; i < texts.getLength(); i++) {
      labels.append(texts.item(i).getTextContent()).append('\n');
    }
    for (String label : new String[] {"conv1", "(Convolution)", "pool1", "(Pooling AVE)", "ip1",
        "loss", "(SoftmaxWithLoss)"}) {
      assertTrue(labels.toString().contains(label), label + " not drawn:\n" + labels);
    }
    assertTrue(text.toLowerCase(Locale.ROOT).contains("fill=\"#ff5050\""), "no convolution box");
    // 16 edges, each an SVG group of class "edge"
    assertEquals(16, text.split("class=\"edge\"", -1).length - 1);
  }

  /** Pixels within 8 levels of a colour in each channel. */
  private static int pixels(BufferedImage image, int rgb) {
    int n = 0;
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        int p = image.getRGB(x, y);
        if (Math.abs(((p >> 16) & 255) - ((rgb >> 16) & 255)) <= 8
            && Math.abs(((p >> 8) & 255) - ((rgb >> 8) & 255)) <= 8
            && Math.abs((p & 255) - (rgb & 255)) <= 8) {
          n++;
        }
      }
    }
    return n;
  }

  /** Runs the command line and returns its stderr; checks the exit code. */
  static String stderrOf(int expectedExit, String... args) {
    PrintStream saved = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      assertEquals(expectedExit, Main.run(args));
    } finally {
      System.setErr(saved);
    }
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void errorsNameTheFile(@TempDir Path dir) throws IOException {
    Path missing = dir.resolve("missing.prototxt");
    String err = stderrOf(1, "draw_net", missing.toString(), dir.resolve("x.dot").toString());
    assertTrue(err.contains("kaffee draw_net: error: net file not found: " + missing), err);
    Path net = Files.writeString(dir.resolve("n.prototxt"), SMALL_NET);
    assertEquals(1, Main.run("draw_net", net.toString(), dir.resolve("x.dot").toString(),
        "--rankdir", "UP"));
    assertEquals(1, Main.run("draw_net", net.toString(), dir.resolve("x.dot").toString(),
        "--phase", "DEPLOY"));
    assertEquals(1, Main.run("draw_net", net.toString(),
        dir.resolve("no_dir").resolve("x.dot").toString()));
    assertFalse(Files.exists(dir.resolve("x.dot")));
  }
}
