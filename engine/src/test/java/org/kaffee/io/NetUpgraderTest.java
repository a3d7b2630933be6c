package org.kaffee.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kaffee.io.IoTestFiles.net;
import static org.kaffee.io.IoTestFiles.resource;
import static org.kaffee.testing.LogCapture.logged;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.kaffee.core.KaffeeException;
import org.kaffee.proto.Caffe.LayerParameter;
import org.kaffee.proto.Caffe.NetParameter;
import org.kaffee.proto.Caffe.ParamSpec;
import org.kaffee.proto.Caffe.V1LayerParameter;

class NetUpgraderTest {
  private static NetParameter parse(String text) {
    return ProtoFiles.parseText(text, "inline.prototxt", NetParameter.newBuilder()).build();
  }

  private static NetParameter upgrade(String text) {
    return NetUpgrader.upgrade(parse(text), "inline.prototxt");
  }

  private static void assertUpgradesTo(String before, String after) {
    Path in = resource(before);
    var run = logged(() -> NetFiles.readNetText(in));
    assertEquals(net(after), run.value(), before + " upgraded");
    assertFalse(NetUpgrader.needsUpgrade(run.value()) && !before.startsWith("batchnorm"));
  }

  @Test
  void v1LenetBecomesTheCurrentLenet() {
    Path in = resource("lenet_v1.prototxt");
    assertTrue(NetUpgrader.needsUpgrade(net("lenet_v1.prototxt")));
    var run = logged(() -> NetFiles.readNetText(in));
    assertEquals(net("lenet_v1_upgraded.prototxt"), run.value());
    assertFalse(NetUpgrader.needsUpgrade(run.value()));
    String log = run.log();
    assertTrue(log.contains("] Attempting to upgrade input file specified using deprecated "
        + "transformation parameters: " + in), log);
    assertTrue(log.contains("] Successfully upgraded file specified using deprecated data "
        + "transformation parameters."), log);
    assertTrue(log.contains("] Attempting to upgrade input file specified using deprecated "
        + "V1LayerParameter: " + in), log);
    assertTrue(log.contains("] Successfully upgraded file specified using deprecated "
        + "V1LayerParameter"), log);
    // The data transformation step runs before the V1 step, as in Caffe.
    assertTrue(log.indexOf("transformation parameters: ") < log.indexOf("V1LayerParameter: "));
  }

  @Test
  void v0NetWithPaddingLayerBecomesCurrent() {
    Path in = resource("v0_net.prototxt");
    var run = logged(() -> NetUpgrader.upgradeAsNeeded(net("v0_net.prototxt"), in.toString()));
    assertTrue(run.value().success(), run.log());
    assertEquals(net("v0_net_upgraded.prototxt"), run.value().net());
    assertTrue(run.log().contains("Attempting to upgrade input file specified using deprecated "
        + "V0LayerParameter: " + in), run.log());
    assertTrue(run.log().contains("Successfully upgraded file specified using deprecated "
        + "V0LayerParameter"), run.log());
    assertTrue(run.log().contains("V1LayerParameter: " + in), run.log());
  }

  @Test
  void inputDimBecomesAnInputLayerPlacedFirst() {
    assertUpgradesTo("input_dim.prototxt", "input_dim_upgraded.prototxt");
    var run = logged(() -> NetFiles.readNetText(resource("input_dim.prototxt")));
    assertTrue(run.log().contains("Attempting to upgrade input file specified using deprecated "
        + "input fields: "), run.log());
    assertTrue(run.log().contains("Successfully upgraded file specified using deprecated "
        + "input fields."), run.log());
  }

  @Test
  void inputShapeBecomesAnInputLayer() {
    assertUpgradesTo("input_shape.prototxt", "input_shape_upgraded.prototxt");
  }

  @Test
  void inputsWithoutShapesAreDropped() {
    // Legacy caffemodels name their inputs without dimensions.
    NetParameter net = logged(() -> upgrade("""
        input: "data"
        layer { name: "a" type: "ReLU" bottom: "data" top: "b" }
        """)).value();
    assertEquals(0, net.getInputCount());
    assertEquals(List.of("a"), net.getLayerList().stream().map(LayerParameter::getName).toList());
  }

  @Test
  void tooFewInputDimsIsAnErrorNamingTheFile() {
    KaffeeException e = assertThrows(KaffeeException.class, () -> logged(() -> upgrade("""
        input: "data"
        input_dim: 1 input_dim: 3
        """)));
    assertEquals("inline.prototxt: 1 inputs need 4 input_dim values (4 per input), got 2",
        e.getMessage());
  }

  @Test
  void oldBatchNormParamsAreFrozenAsCaffeDoes() {
    var run = logged(() -> NetFiles.readNetText(resource("batchnorm_old.prototxt")));
    assertEquals(net("batchnorm_old_upgraded.prototxt"), run.value());
    assertTrue(run.log().contains("Attempting to upgrade batch norm layers using deprecated "
        + "params: "), run.log());
    assertTrue(run.log().contains("Successfully upgraded batch norm layers using deprecated "
        + "params."), run.log());
  }

  @Test
  void v1ParamNamesShareModesRulesAndParamsCarryOver() {
    NetParameter net = logged(() -> upgrade("""
        name: "shared"
        force_backward: true
        layers {
          name: "deconv" type: DECONVOLUTION bottom: "x" top: "y"
          param: "w" param: "b"
          blob_share_mode: PERMISSIVE
          blobs_lr: 3
          weight_decay: 0.5 weight_decay: 0
          convolution_param { num_output: 2 kernel_size: 3 }
          exclude { phase: TEST stage: "deploy" }
          blobs { shape { dim: 1 } data: 7 }
        }
        layers { name: "l" type: EUCLIDEAN_LOSS bottom: "y" bottom: "t" top: "loss"
                 loss_weight: 2 loss_param { normalize: false } }
        layers { name: "t" type: TANH bottom: "y" top: "z" tanh_param { engine: CAFFE } }
        layers { name: "n" type: NONE }
        """)).value();
    NetParameter expected = parse("""
        name: "shared"
        force_backward: true
        layer {
          name: "deconv" type: "Deconvolution" bottom: "x" top: "y"
          exclude { phase: TEST stage: "deploy" }
          blobs { shape { dim: 1 } data: 7 }
          param { name: "w" share_mode: PERMISSIVE lr_mult: 3 decay_mult: 0.5 }
          param { name: "b" decay_mult: 0 }
          convolution_param { num_output: 2 kernel_size: 3 }
        }
        layer { name: "l" type: "EuclideanLoss" bottom: "y" bottom: "t" top: "loss"
                loss_weight: 2 loss_param { normalize: false } }
        layer { name: "t" type: "TanH" bottom: "y" top: "z" tanh_param { engine: CAFFE } }
        layer { name: "n" type: "" }
        """);
    assertEquals(expected, net);
    ParamSpec b = net.getLayer(0).getParam(1);
    assertFalse(b.hasLrMult());
  }

  @Test
  void everyV1TypeHasACurrentName() {
    for (V1LayerParameter.LayerType t : V1LayerParameter.LayerType.values()) {
      String name = V1Upgrader.typeName(t);
      assertEquals(t == V1LayerParameter.LayerType.NONE, name.isEmpty(), t.toString());
    }
    assertEquals("SoftmaxWithLoss", V1Upgrader.typeName(V1LayerParameter.LayerType.SOFTMAX_LOSS));
    assertEquals("HDF5Data", V1Upgrader.typeName(V1LayerParameter.LayerType.HDF5_DATA));
  }

  @Test
  void bothLayerAndLayersIsRefusedNamingTheFile() {
    KaffeeException e = assertThrows(KaffeeException.class, () -> logged(() -> upgrade("""
        layer { name: "a" type: "ReLU" }
        layers { name: "b" type: RELU }
        """)));
    assertTrue(e.getMessage().startsWith("inline.prototxt: refusing to upgrade inconsistent "
        + "NetParameter input; the definition includes both 'layer' and 'layers' fields."),
        e.getMessage());
  }

  @Test
  void v0UnknownTypeNamesFileAndLayer() {
    KaffeeException e = assertThrows(KaffeeException.class, () -> logged(() -> upgrade("""
        layers { layer { name: "odd" type: "warp_drive" } top: "x" }
        """)));
    assertEquals("inline.prototxt: V0 layer 'odd' has unknown type 'warp_drive'", e.getMessage());
  }

  @Test
  void v0UnknownBottomNamesFileAndLayer() {
    KaffeeException e = assertThrows(KaffeeException.class, () -> logged(() -> upgrade("""
        layers { layer { name: "r" type: "relu" } bottom: "nowhere" top: "x" }
        """)));
    assertEquals("inline.prototxt: V0 layer 'r' (layer 0): unknown bottom blob 'nowhere' "
        + "(bottom index 0)", e.getMessage());
  }

  @Test
  void v0PaddingIntoNonConvLayerIsAnError() {
    KaffeeException e = assertThrows(KaffeeException.class, () -> logged(() -> upgrade("""
        input: "data"
        layers { layer { name: "p" type: "padding" pad: 1 } bottom: "data" top: "p" }
        layers { layer { name: "r" type: "relu" } bottom: "p" top: "r" }
        """)));
    assertEquals("inline.prototxt: V0 layer 'r': padding layer input to non-convolutional / "
        + "non-pooling layer type relu", e.getMessage());
  }

  @Test
  void v0FieldWithoutHomeIsLoggedDroppedAndReported() {
    var run = logged(() -> NetUpgrader.upgradeAsNeeded(parse("""
        layers { layer { name: "r" type: "relu" num_output: 3 } top: "x" }
        """), "inline.prototxt"));
    assertFalse(run.value().success());
    assertTrue(run.log().contains("] Unknown parameter num_output for layer type relu"),
        run.log());
    assertTrue(run.log().contains("Warning: had one or more problems upgrading V0NetParameter to "
        + "NetParameter (see above); continuing anyway."), run.log());
    assertEquals(parse("layer { name: \"r\" type: \"ReLU\" top: \"x\" }"), run.value().net());
  }

  @Test
  void v0PoolingAndInputsUpgrade() {
    NetParameter net = logged(() -> upgrade("""
        name: "p"
        input: "data"
        input_dim: 1 input_dim: 1 input_dim: 4 input_dim: 4
        layers { layer { name: "pad" type: "padding" pad: 1 } bottom: "data" top: "padded" }
        layers { layer { name: "pool" type: "pool" pool: STOCHASTIC kernelsize: 2 stride: 2 }
                 bottom: "padded" top: "pool" }
        """)).value();
    assertEquals(parse("""
        name: "p"
        layer { name: "input" type: "Input" top: "data"
                input_param { shape { dim: 1 dim: 1 dim: 4 dim: 4 } } }
        layer { name: "pool" type: "Pooling" bottom: "data" top: "pool"
                pooling_param { pool: STOCHASTIC kernel_size: 2 stride: 2 pad: 1 } }
        """), net);
  }

  @Test
  void currentNetNeedsNoUpgradeAndIsReturnedAsIs() {
    NetParameter current = net("lenet_v1_upgraded.prototxt");
    assertFalse(NetUpgrader.needsUpgrade(current));
    var run = logged(() -> NetUpgrader.upgrade(current, "x.prototxt"));
    assertSame(current, run.value());
    assertEquals("", run.log());
  }
}
