package org.kaffee.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.kaffee.core.Blob;
import org.kaffee.core.KaffeeException;
import org.kaffee.core.Net;
import org.kaffee.layers.ForkFixture;
import org.kaffee.onnx.proto.Onnx.ModelProto;

/**
 * DetectionOutput's ONNX subgraph in ONNX Runtime gives Kaffee's detections (on SSD heads and on
 * the narrow MobileNet-SSD and SSD300 fixtures of ForkOracleTest): the same number of rows,
 * equal within 1e-4 relative after sorting by image, label and descending score.
 */
class DetectionOutputOnnxTest {
  private static final double TOLERANCE = 1e-4;

  @ParameterizedTest
  @ValueSource(strings = {"mobilenet_ssd", "ssd300"})
  void theNarrowSsdFixtures(String name, @TempDir Path scratch) throws Exception {
    ForkFixture fixture = ForkFixture.read(name, scratch);
    int rows = assertSameDetections(fixture.load().core(), fixture.inputs());
    assertTrue(rows > 2, name + " finds objects: " + rows + " rows");
  }

  /** An SSD head on a 3 x 3 map: 4 priors per cell, 4 classes, 2 images. */
  private static Net ssdHead(String detectionParam) {
    int locationClasses = detectionParam.contains("share_location: false") ? 4 : 1;
    return OnnxCases.build(OnnxCases.input("feature", 2, 1, 3, 3) + OnnxCases.input("image", 2, 3, 30, 30)
        + OnnxCases.input("loc", 2, 36 * locationClasses * 4) + OnnxCases.input("conf", 2, 36 * 4)
        + "layer { name: 'prior' type: 'PriorBox' bottom: 'feature' bottom: 'image' top: 'prior' prior_box_param {"
        + " min_size: 8 max_size: 16 aspect_ratio: 2 flip: true variance: 0.1 variance: 0.1 variance: 0.2"
        + " variance: 0.2 } }"
        + "layer { name: 'det' type: 'DetectionOutput' bottom: 'loc' bottom: 'conf' bottom: 'prior' top: 'det'"
        + " detection_output_param { num_classes: 4 " + detectionParam + " } }");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      // keep_top_k below the survivors of each image, across classes
      "code_type: CENTER_SIZE nms_param { nms_threshold: 0.45 top_k: 10 } keep_top_k: 7 confidence_threshold: 0.3",
      // per-class locations, no background, every box a candidate
      "share_location: false background_label_id: -1 code_type: CORNER nms_param { nms_threshold: 0.3 }",
      "code_type: CORNER_SIZE variance_encoded_in_target: true background_label_id: 2 nms_param { nms_threshold: 0.5"
          + " top_k: 20 } keep_top_k: 100 confidence_threshold: 0.5",
      "share_location: false code_type: CENTER_SIZE nms_param { nms_threshold: 0.45 top_k: 5 } keep_top_k: 4"
          + " confidence_threshold: 0.2"})
  void ssdHeadsOfEveryCodeTypeAndLayout(String detectionParam) throws Exception {
    Net net = ssdHead(detectionParam);
    Random random = new Random(11);
    // offsets small enough that no CORNER box turns inside out: SSD scores such a box as empty,
    // ONNX's NonMaxSuppression as the box between its corners
    int rows = assertSameDetections(net, Map.of("loc", uniform(random, net.blobByName("loc").count(), -0.3, 0.3),
        "conf", uniform(random, net.blobByName("conf").count(), 0, 1)));
    assertTrue(rows > 4, rows + " rows");
  }

  @Test
  void nothingFoundGivesCaffesRowOfMinusOnesPerImage() throws Exception {
    Net net = ssdHead("nms_param { nms_threshold: 0.45 } confidence_threshold: 1.5");
    Random random = new Random(5);
    assertSameDetections(net, Map.of("loc", uniform(random, net.blobByName("loc").count(), -1, 1),
        "conf", uniform(random, net.blobByName("conf").count(), 0, 1)));
    float[] rows = OnnxRuntimeCheck.values(net.blobByName("det"));
    assertEquals(List.of(0f, -1f, -1f, 1f, -1f), List.of(rows[0], rows[1], rows[6], rows[7], rows[13]));
  }

  @Test
  void adaptiveNmsIsNamed() {
    Net net = ssdHead("nms_param { nms_threshold: 0.45 eta: 0.9 }");
    KaffeeException e = assertThrows(KaffeeException.class, () -> OnnxExporter.export(net));
    assertEquals("layer 'det' (DetectionOutput): adaptive NMS (nms_param.eta < 1) has no ONNX equivalent",
        e.getMessage());
  }

  private static float[] uniform(Random random, int count, double low, double high) {
    float[] v = new float[count];
    for (int i = 0; i < count; i++) {
      v[i] = (float) (low + (high - low) * random.nextDouble());
    }
    return v;
  }

  /** Runs both on the given inputs (the rest random), compares the sorted rows; returns their number. */
  private static int assertSameDetections(Net net, Map<String, float[]> given) throws Exception {
    ModelProto model = OnnxExporter.export(net);
    Random random = new Random(3);
    Map<String, float[]> inputs = new HashMap<>();
    for (var input : model.getGraph().getInputList()) {
      Blob blob = net.blobByName(input.getName());
      float[] values = given.containsKey(input.getName()) ? given.get(input.getName())
          : OnnxRuntimeCheck.randomInput(blob, random, -1, 1);
      OnnxRuntimeCheck.fill(blob, values);
      inputs.put(input.getName(), values);
    }
    net.forward();
    String output = net.outputBlobNames().get(0);
    String tensor = model.getGraph().getOutput(0).getName();
    OnnxRuntimeCheck.Output onnx = OnnxRuntimeCheck.run(net, model, inputs, List.of(tensor)).get(tensor);
    float[] kaffee = OnnxRuntimeCheck.values(net.blobByName(output));
    assertEquals(Arrays.toString(net.blobByName(output).shape()), Arrays.toString(onnx.shape()), "row count");
    float[] expected = ForkFixture.sortedRows(kaffee);
    float[] actual = ForkFixture.sortedRows(onnx.values());
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual[i], TOLERANCE * Math.max(1, Math.abs(expected[i])), "row " + i / 7
          + " value " + i % 7);
    }
    return expected.length / 7;
  }

}
