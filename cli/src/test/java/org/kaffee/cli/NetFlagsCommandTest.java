package org.kaffee.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kaffee.io.NetFiles;
import org.kaffee.io.ProtoFiles;
import org.kaffee.proto.Caffe.BlobProto;
import org.kaffee.proto.Caffe.BlobShape;
import org.kaffee.proto.Caffe.LayerParameter;
import org.kaffee.proto.Caffe.NetParameter;

/** --weights with one or two files, --level and --stage, and device_query, on the command line. */
class NetFlagsCommandTest {
  /** x = (1, 1); a = x . wa and b = x . wb, both weights 0 unless loaded. */
  private static final String TWO_LAYERS = "name: \"two\"\n"
      + "layer { name: \"x\" type: \"DummyData\" top: \"x\"\n"
      + "  dummy_data_param { shape { dim: 1 dim: 2 } data_filler { type: \"constant\" value: 1 } } }\n"
      + "layer { name: \"a\" type: \"InnerProduct\" bottom: \"x\" top: \"a\"\n"
      + "  inner_product_param { num_output: 1 bias_term: false } }\n"
      + "layer { name: \"b\" type: \"InnerProduct\" bottom: \"x\" top: \"b\"\n"
      + "  inner_product_param { num_output: 1 bias_term: false } }\n";

  /** x = 1; s = 2x only in stage "double", l = 3x only from level 2 on. */
  private static final String STAGED = "name: \"staged\"\n"
      + "layer { name: \"x\" type: \"DummyData\" top: \"x\"\n"
      + "  dummy_data_param { shape { dim: 1 } data_filler { type: \"constant\" value: 1 } } }\n"
      + "layer { name: \"s\" type: \"Power\" bottom: \"x\" top: \"s\" power_param { scale: 2 }\n"
      + "  include { stage: \"double\" } }\n"
      + "layer { name: \"l\" type: \"Power\" bottom: \"x\" top: \"l\" power_param { scale: 3 }\n"
      + "  include { min_level: 2 } }\n";

  @TempDir
  Path dir;
  private CommandOutput out;

  @BeforeEach
  void capture() throws Exception {
    out = new CommandOutput(dir);
    Files.writeString(dir.resolve("two.prototxt"), TWO_LAYERS);
    Files.writeString(dir.resolve("staged.prototxt"), STAGED);
    writeWeights("a.caffemodel", "a", 2, 3);
    writeWeights("b.caffemodel", "b", 10, 20);
  }

  @AfterEach
  void restore() {
    out.close();
  }

  private void writeWeights(String file, String layer, float w0, float w1) {
    BlobProto blob = BlobProto.newBuilder().setShape(BlobShape.newBuilder().addDim(1).addDim(2))
        .addData(w0).addData(w1).build();
    ProtoFiles.writeBinary(dir.resolve(file), NetParameter.newBuilder().setName("two").addLayer(
        LayerParameter.newBuilder().setName(layer).setType("InnerProduct").addBlobs(blob)).build());
  }

  /** The final "name = value" lines of {@code kaffee test}. */
  private List<String> testMeans(String... flags) {
    String[] args = new String[flags.length + 2];
    args[0] = "test";
    args[1] = "--iterations=1";
    System.arraycopy(flags, 0, args, 2, flags.length);
    assertEquals(0, out.run(args), out.err());
    List<String> m = out.takeMessages();
    int at = m.indexOf("Loss: 0");
    assertTrue(at >= 0, String.join("\n", m));
    return m.subList(at + 1, m.size());
  }

  @Test
  void testLoadsOneOrTwoWeightFiles() {
    assertEquals(List.of("a = 0", "b = 0"), testMeans("--model=two.prototxt"));
    assertEquals(List.of("a = 5", "b = 0"), testMeans("--model=two.prototxt", "--weights=a.caffemodel"));
    assertEquals(List.of("a = 5", "b = 30"),
        testMeans("--model=two.prototxt", "--weights=a.caffemodel,b.caffemodel"));
  }

  @Test
  void trainStartsFromBothWeightFiles() throws Exception {
    // lr 0: the snapshot holds exactly the loaded weights
    Files.writeString(dir.resolve("solver.prototxt"), "net: \"two.prototxt\"\n"
        + "base_lr: 0 lr_policy: \"fixed\" max_iter: 1 snapshot_prefix: \"two\"\n");
    assertEquals(0, out.run("train", "--solver=solver.prototxt",
        "--weights=a.caffemodel,b.caffemodel"), out.err());
    List<String> m = out.takeMessages();
    assertTrue(m.contains("Finetuning from a.caffemodel") && m.contains("Finetuning from b.caffemodel"),
        String.join("\n", m));
    NetParameter saved = NetFiles.readNetBinary(dir.resolve("two_iter_1.caffemodel"));
    assertEquals(List.of(2f, 3f), layer(saved, "a").getBlobs(0).getDataList());
    assertEquals(List.of(10f, 20f), layer(saved, "b").getBlobs(0).getDataList());
  }

  @Test
  void hdf5WeightsServeTestAndTrainAsBinaryOnesDo() throws Exception {
    // an HDF5 caffemodel (Caffe's snapshot_format: HDF5); layer names of several letters, since
    // jhdf 0.13 cannot list some groups of very short names it wrote itself (noted in docs)
    Files.writeString(dir.resolve("named.prototxt"), TWO_LAYERS.replace("\"a\"", "\"alpha\"")
        .replace("\"b\"", "\"beta\""));
    writeWeights("alpha.caffemodel", "alpha", 2, 3);
    writeWeights("beta.caffemodel", "beta", 10, 20);
    Files.writeString(dir.resolve("solver.prototxt"), "net: \"named.prototxt\"\n"
        + "base_lr: 0 lr_policy: \"fixed\" max_iter: 1 snapshot_prefix: \"h5\" snapshot_format: HDF5\n");
    assertEquals(0, out.run("train", "--solver=solver.prototxt",
        "--weights=alpha.caffemodel,beta.caffemodel"), out.err());
    out.takeMessages();
    assertTrue(Files.isRegularFile(dir.resolve("h5_iter_1.caffemodel.h5")));
    assertEquals(List.of("alpha = 5", "beta = 30"),
        testMeans("--model=named.prototxt", "--weights=h5_iter_1.caffemodel.h5"));
    Files.writeString(dir.resolve("again.prototxt"), "net: \"named.prototxt\"\n"
        + "base_lr: 0 lr_policy: \"fixed\" max_iter: 1 snapshot_prefix: \"again\"\n");
    assertEquals(0, out.run("train", "--solver=again.prototxt", "--weights=h5_iter_1.caffemodel.h5"),
        out.err());
    NetParameter saved = NetFiles.readNetBinary(dir.resolve("again_iter_1.caffemodel"));
    assertEquals(List.of(10f, 20f), layer(saved, "beta").getBlobs(0).getDataList());
  }

  private static LayerParameter layer(NetParameter net, String name) {
    return net.getLayerList().stream().filter(l -> l.getName().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void levelAndStageChooseTheLayers() {
    assertEquals(List.of("x = 1"), testMeans("--model=staged.prototxt"));
    assertEquals(List.of("s = 2"), testMeans("--model=staged.prototxt", "--stage=double"));
    assertEquals(List.of("l = 3"), testMeans("--model=staged.prototxt", "--level=2"));
    // outputs in alphabetical order, as Caffe lists them
    assertEquals(List.of("l = 3", "s = 2"),
        testMeans("--model=staged.prototxt", "-level", "2", "-stage", "other,double"));
    assertEquals(List.of("x = 1"), testMeans("--model=staged.prototxt", "--level=1", "--stage=triple"));
  }

  @Test
  void trainAppliesLevelAndStageToTheTrainNet() throws Exception {
    Files.writeString(dir.resolve("solver.prototxt"), "net: \"staged.prototxt\"\n"
        + "base_lr: 0 lr_policy: \"fixed\" max_iter: 1 display: 1 snapshot_after_train: false\n");
    assertEquals(0, out.run("train", "--solver=solver.prototxt", "--stage=double", "--level=2"),
        out.err());
    List<String> m = out.takeMessages();
    assertTrue(m.contains("    Train net output #0: l = 3"), String.join("\n", m));
    assertTrue(m.contains("    Train net output #1: s = 2"), String.join("\n", m));
    assertEquals(0, out.run("train", "--solver=solver.prototxt"), out.err());
    m = out.takeMessages();
    assertTrue(m.contains("    Train net output #0: x = 1"), String.join("\n", m));
    assertFalse(m.stream().anyMatch(s -> s.contains(": s = ") || s.contains(": l = ")), String.join("\n", m));
  }

  @Test
  void deviceQueryDescribesTheCpuBackend() {
    assertEquals(0, out.run("device_query"), out.err());
    List<String> m = out.takeMessages();
    assertEquals("Querying device: CPU", m.get(0), String.join("\n", m));
    assertTrue(m.contains("Processors available to the JVM: " + Runtime.getRuntime().availableProcessors()),
        String.join("\n", m));
    for (String prefix : List.of("Backend: ", "OpenMP threads: ", "BLAS: ", "oneDNN: ", "Java: ")) {
      assertTrue(m.stream().anyMatch(s -> s.startsWith(prefix) && s.length() > prefix.length()
          && !s.contains("?")), prefix + " missing or unknown in\n" + String.join("\n", m));
    }
    assertTrue(m.contains("Backend: CpuBackend"), String.join("\n", m));

    assertEquals(0, out.run("device_query", "--gpu=0"), out.err());
    assertTrue(out.takeMessages().contains("Kaffee runs on the CPU only; ignoring --gpu=0"));
  }
}
