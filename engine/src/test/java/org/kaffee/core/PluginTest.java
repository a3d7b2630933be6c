package org.kaffee.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kaffee.io.NetFiles;
import org.kaffee.io.ProtoFiles;
import org.kaffee.proto.Caffe.LayerParameter;
import org.kaffee.proto.Caffe.NetParameter;
import org.kaffee.testing.GradientChecker;
import org.kaffee.testing.PluginJarBuilder;
import org.kaffee.testing.TestBlobs;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Layer plugins as a user brings them: examples/plugin built into a jar and loaded from it,
 * by type and as the stand-in for a Caffe {@code type: "Python"} layer; and the one-line
 * errors for a missing Python plugin, two plugins declaring one type, a plugin that throws in
 * set-up and a jar without layers.
 */
class PluginTest {
  private static final Path EXAMPLE = Path.of("examples", "plugin");
  private static final String TWO_MISH = """
      layer { name: "in" type: "Input" top: "x" input_param { shape { dim: 2 dim: 3 } } }
      layer { name: "m" type: "Mish" bottom: "x" top: "m" }
      layer { name: "p" type: "Python" bottom: "x" top: "p"
              python_param { module: "mish_layers" layer: "Mish" param_str: "0.5" } }
      """;

  private static Path built;

  @TempDir
  Path tmp;

  /** The example built once (javac takes seconds), copied under the name a test wants. */
  @BeforeAll
  static void buildExample(@TempDir Path dir) throws Exception {
    built = PluginJarBuilder.build(EXAMPLE, dir.resolve("kaffee-mish-1.0.jar"));
  }

  @AfterEach
  void kaffeesOwnLayersOnly() {
    LayerRegistry.usePlugins(List.of());
  }

  private Path exampleJar(String name) throws Exception {
    return Files.copy(built, tmp.resolve(name));
  }

  private static double mish(double x) {
    return x * Math.tanh(Math.log(1 + Math.exp(x)));
  }

  private static Net net(String text) {
    return new Net(ProtoFiles.parseText(text, "net", NetParameter.newBuilder()).build());
  }

  @Test
  void exampleJarRunsMishByTypeAndAsAPythonLayerWithItsParamStr() throws Exception {
    LayerRegistry.usePlugins(List.of(exampleJar("kaffee-mish-1.0.jar")));
    Net net = net(TWO_MISH);
    double[] x = {-3, -0.5, 0, 0.25, 1, 4};
    for (int i = 0; i < x.length; i++) {
      net.blobByName("x").dataView().set(i, x[i]);
    }
    net.forward();
    for (int i = 0; i < x.length; i++) {
      assertEquals(mish(x[i]), net.blobByName("m").dataView().get(i), 1e-6);
      assertEquals(0.5 * mish(x[i]), net.blobByName("p").dataView().get(i), 1e-6);
    }
    assertTrue(PluginJarBuilder.class.getClassLoader() != net.layerByName("m").getClass().getClassLoader(),
        "Mish must come from the jar, not the test classpath");
    // The example's own net (DummyData, Mish, a Python layer) trains a step.
    Net example = new Net(NetFiles.readNetText(EXAMPLE.resolve("mish_net.prototxt")));
    assertTrue(Double.isFinite(example.forwardBackward()));
  }

  @Test
  void aPluginForAPythonLayerWinsOverThePythonHost() throws Exception {
    LayerRegistry.usePlugins(List.of(exampleJar("kaffee-mish-1.0.jar")));
    LayerRegistry.usePythonHost(param -> {
      throw new AssertionError("the host must not be asked for " + param.getName());
    });
    try {
      Net net = net(TWO_MISH);
      assertEquals("MishLayer", net.layerByName("p").getClass().getSimpleName());
    } finally {
      LayerRegistry.usePythonHost(null);
    }
  }

  @Test
  void pluginLayerGradientPassesCaffesCheck() throws Exception {
    LayerRegistry.usePlugins(List.of(exampleJar("kaffee-mish-1.0.jar")));
    for (String text : List.of("name: 'm' type: 'Mish'",
        "name: 'p' type: 'Python' python_param { module: 'mish_layers' layer: 'Mish' param_str: '1.5' }")) {
      Layer layer = LayerRegistry.create(ProtoFiles.parseText(text, "layer", LayerParameter.newBuilder()).build());
      layer.setDataType(DataType.DOUBLE);
      Blob bottom = TestBlobs.gaussian(1701, 1, 2, 3, 4);
      Blob top = new Blob(DataType.DOUBLE);
      new GradientChecker(1e-2, 1e-3).checkGradientExhaustive(layer, List.of(bottom), List.of(top), -1);
    }
  }

  @Test
  void aPythonLayerNoPluginProvidesIsOneLineNamingModuleAndLayer() {
    KaffeeException e = assertThrows(KaffeeException.class, () -> net(TWO_MISH.replace(
        "layer { name: \"m\" type: \"Mish\" bottom: \"x\" top: \"m\" }", "")));
    assertEquals("layer p (Python): no plugin provides module 'mish_layers' layer 'Mish': run it from Python "
        + "(import caffe; tools/kaffee does so when PYTHONPATH finds the module), or add a jar whose "
        + "LayerProvider.pythonLayers() declares \"mish_layers.Mish\" to KAFFEE_PLUGINS (README: Custom "
        + "layers as plugins)", e.getMessage());
  }

  @Test
  void twoPluginsDeclaringOneTypeAreOneLineNamingBoth() throws Exception {
    List<Path> jars = List.of(exampleJar("a.jar"), exampleJar("b.jar"));
    KaffeeException e = assertThrows(KaffeeException.class, () -> LayerRegistry.usePlugins(jars));
    assertEquals("layer type 'Mish' is declared by both org.example.mish.MishLayers from a.jar and "
        + "org.example.mish.MishLayers from b.jar: keep one of them", e.getMessage());
    assertTrue(LayerRegistry.isRegistered("ReLU"), "a refused plugin set leaves Kaffee's layers in place");
  }

  @Test
  void aPluginThrowingInSetUpIsOneLineNamingLayerClassAndJar() throws Exception {
    Path src = tmp.resolve("boom/org/example/boom");
    Files.createDirectories(src);
    Files.writeString(src.resolve("BoomLayers.java"), """
        package org.example.boom;
        import java.util.List;
        import java.util.Map;
        import java.util.function.Function;
        import org.kaffee.core.*;
        import org.kaffee.proto.Caffe.LayerParameter;
        public final class BoomLayers implements LayerProvider {
          public Map<String, Function<LayerParameter, Layer>> layers() {
            return Map.of("Boom", BoomLayer::new);
          }
          public static final class BoomLayer extends Layer {
            public BoomLayer(LayerParameter p) { super(p); }
            public String type() { return "Boom"; }
            protected void layerSetUp(List<Blob> bottom, List<Blob> top) {
              throw new IllegalStateException("no weights file");
            }
            public void reshape(List<Blob> bottom, List<Blob> top) { }
            public void forward(List<Blob> bottom, List<Blob> top) { }
            public void backward(List<Blob> top, boolean[] down, List<Blob> bottom) { }
          }
        }
        """);
    Path jar = PluginJarBuilder.build(tmp.resolve("boom"), Map.of("META-INF/services/org.kaffee.core.LayerProvider",
        "org.example.boom.BoomLayers\n".getBytes(StandardCharsets.UTF_8)), tmp.resolve("boom.jar"));
    LayerRegistry.usePlugins(List.of(jar));
    KaffeeException e = assertThrows(KaffeeException.class, () -> net("""
        layer { name: "in" type: "Input" top: "x" input_param { shape { dim: 2 } } }
        layer { name: "b" type: "Boom" bottom: "x" top: "y" }
        """));
    assertEquals("layer b (Boom, org.example.boom.BoomLayers$BoomLayer from boom.jar): set-up failed: "
        + "java.lang.IllegalStateException: no weights file", e.getMessage());
  }

  @Test
  void aJarWithoutLayersOrMissingIsOneLine() throws Exception {
    Path src = tmp.resolve("empty/org/example");
    Files.createDirectories(src);
    Files.writeString(src.resolve("Helper.java"), "package org.example; public final class Helper { }");
    Path jar = PluginJarBuilder.build(tmp.resolve("empty"), Map.of(), tmp.resolve("helpers.jar"));
    KaffeeException e = assertThrows(KaffeeException.class, () -> LayerRegistry.usePlugins(List.of(jar)));
    assertEquals("plugin jar " + jar + " declares no layers: it needs a class implementing "
        + "org.kaffee.core.LayerProvider named in META-INF/services/org.kaffee.core.LayerProvider", e.getMessage());
    Path missing = tmp.resolve("missing.jar");
    e = assertThrows(KaffeeException.class, () -> LayerRegistry.usePlugins(List.of(missing)));
    assertEquals("plugin jar " + missing + ": no such file", e.getMessage());
    assertFalse(e.getMessage().contains("\n"));
  }
}
