package org.kaffee.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.kaffee.api.Network;
import org.kaffee.core.Blob;
import org.kaffee.proto.Caffe.BlobProto;

/**
 * The fork layers against OpenCV 4.6's dnn, the oracle: each case under engine/src/test/resources/fork
 * (recorded by make_fixtures.py there, read by ForkFixture) is a small net, its seeded weights,
 * its inputs and OpenCV's outputs; the last two are a narrow MobileNet-SSD with every SSD head
 * layer and a narrow SSD300-VGG16 deploy net (8732 priors, 21 classes). Kaffee's outputs must be
 * OpenCV's within 1e-4 relative; DetectionOutput's rows are compared after sorting by image,
 * label and descending score.
 */
class ForkOracleTest {
  private static final double TOLERANCE = 1e-4;
  /** The DetectionOutput tops of the fixtures, compared as sorted rows. */
  private static final Set<String> DETECTIONS = Set.of("det", "detection_out");

  @TempDir
  Path scratch;

  @ParameterizedTest
  @ValueSource(strings = {"relu6", "depthwise", "permute", "normalize", "priorbox", "detection_output",
      "roi_pooling", "mobilenet_ssd", "ssd300"})
  void kaffeeGivesOpenCvsOutputs(String name) throws Exception {
    ForkFixture fixture = ForkFixture.read(name, scratch);
    Network net = fixture.load();
    fixture.inputs().forEach(net::setInput);
    net.forward();
    for (Map.Entry<String, BlobProto> output : fixture.outputs().entrySet()) {
      String blob = output.getKey();
      String what = name + " " + blob;
      float[] actual = net.blob(blob);
      float[] oracle = ForkFixture.values(output.getValue());
      if (DETECTIONS.contains(blob)) {
        actual = ForkFixture.sortedRows(actual);
        oracle = ForkFixture.sortedRows(ForkFixture.withoutPadding(oracle));
      } else {
        assertArrayEquals(Blob.protoShape(output.getValue()), net.blobShape(blob), what + ": shape");
      }
      near(oracle, actual, what);
    }
  }

  private static void near(float[] expected, float[] actual, String what) {
    assertEquals(expected.length, actual.length, what);
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual[i], TOLERANCE * Math.max(1, Math.abs(expected[i])),
          what + " element " + i);
    }
  }
}
