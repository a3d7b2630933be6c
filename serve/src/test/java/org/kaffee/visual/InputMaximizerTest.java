package org.kaffee.visual;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.kaffee.api.Network;
import org.kaffee.core.Blob;
import org.kaffee.core.KaffeeException;

/** Gradient ascent on the input of hand-made nets. */
class InputMaximizerTest {
  static final String LINEAR_NET = """
      name: "linear"
      layer { name: "data" type: "Input" top: "data"
              input_param { shape { dim: 1 dim: 1 dim: 6 dim: 6 } } }
      layer { name: "ip" type: "InnerProduct" bottom: "data" top: "ip"
              inner_product_param { num_output: 2 bias_term: false } }
      """;
  static final String CONV_NET = """
      name: "conv"
      layer { name: "data" type: "Input" top: "data"
              input_param { shape { dim: 1 dim: 1 dim: 8 dim: 8 } } }
      layer { name: "conv1" type: "Convolution" bottom: "data" top: "conv1"
              convolution_param { num_output: 2 kernel_size: 3 bias_term: false } }
      layer { name: "relu1" type: "ReLU" bottom: "conv1" top: "conv1" }
      layer { name: "ip" type: "InnerProduct" bottom: "conv1" top: "ip"
              inner_product_param { num_output: 3 } }
      """;

  /** A left-half-bright, right-half-dark pattern for unit 1. */
  static float[] linearWeights() {
    float[] w = new float[2 * 36];
    for (int i = 0; i < 36; i++) {
      w[i] = (i % 6 == 0) ? 1 : 0;
      w[36 + i] = (i % 6) < 3 ? 1 : -1;
    }
    return w;
  }

  @Test
  void withoutRegularisersTheInputFoundIsTheUnitsWeightPattern() {
    Network inference = BlobPicturesTest.net(LINEAR_NET);
    float[] w = linearWeights();
    BlobPicturesTest.set(inference.core().layerByName("ip").blobs().get(0), w);
    InputMaximizer.Result r = new InputMaximizer(inference, "ip:1")
        .run(new InputMaximizer.Settings(30, 0.05, 0, 0, 0, 7, 1.0));
    // Activation w1.x grows by lr * range * sum|w1| / mean|w1| = 0.05 * 36 per step.
    double[] a = r.activations();
    for (int i = 1; i < a.length; i++) {
      Assertions.assertEquals(a[i - 1] + 0.05 * 36, a[i], 1e-3, "step " + i);
    }
    double dot = 0;
    double norm = 0;
    for (int i = 0; i < 36; i++) {
      dot += r.input()[i] * w[36 + i];
      norm += r.input()[i] * r.input()[i];
    }
    assertTrue(dot / Math.sqrt(norm * 36) > 0.99, "cosine to the weights " + dot / Math.sqrt(norm * 36));
  }

  @Test
  void throughConvolutionReluAndJitterTheActivationRisesAndRepeatsForASeed() {
    Network inference = BlobPicturesTest.net(CONV_NET);
    Blob convWeights = inference.core().layerByName("conv1").blobs().get(0);
    BlobPicturesTest.set(convWeights, -1, 0, 1, -2, 0, 2, -1, 0, 1, /* */ 1, 2, 1, 0, 0, 0, -1, -2, -1);
    Blob ipWeights = inference.core().layerByName("ip").blobs().get(0);
    float[] w = new float[3 * 72];
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) Math.sin(i * 0.37);
    }
    BlobPicturesTest.set(ipWeights, w);
    InputMaximizer.Settings settings = new InputMaximizer.Settings(20, 0.05, 0.01, 1, 4, 3, 255);
    InputMaximizer.Result first = new InputMaximizer(inference, "ip:2").run(settings);
    double[] a = first.activations();
    assertTrue(a[a.length - 1] > a[0] + 100, "activation " + a[0] + " -> " + a[a.length - 1]);
    InputMaximizer.Result again = new InputMaximizer(inference, "ip:2").run(settings);
    assertArrayEquals(first.input(), again.input());
    InputMaximizer.Result conv = new InputMaximizer(inference, "conv1:0").run(settings);
    assertTrue(conv.activations()[19] > conv.activations()[0], "a conv channel's mean rises too");
  }

  @Test
  void aBadTargetIsOneClearMessage() {
    Network inference = BlobPicturesTest.net(LINEAR_NET);
    String noUnit = Assertions.assertThrows(KaffeeException.class,
        () -> new InputMaximizer(inference, "ip:5")).getMessage();
    assertTrue(noUnit.contains("ip") && noUnit.contains("no unit 5"), noUnit);
    String noLayer = Assertions.assertThrows(KaffeeException.class,
        () -> new InputMaximizer(inference, "fc9:1")).getMessage();
    assertTrue(noLayer.contains("'fc9'"), noLayer);
    String noColon = Assertions.assertThrows(KaffeeException.class,
        () -> new InputMaximizer(inference, "ip")).getMessage();
    assertTrue(noColon.contains("layer:unit"), noColon);
  }
}
