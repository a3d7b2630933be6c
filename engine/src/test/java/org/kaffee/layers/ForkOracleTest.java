package org.kaffee.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.kaffee.api.Kaffee;
import org.kaffee.api.Network;
import org.kaffee.core.Blob;
import org.kaffee.io.ProtoFiles;
import org.kaffee.proto.Caffe.BlobProto;
import org.kaffee.proto.Caffe.BlobProtoVector;

/**
 * The fork layers against OpenCV 4.6's dnn, the oracle: each case under engine/src/test/resources/fork
 * (recorded by make_fixtures.py there) is a small net (the last a narrow MobileNet-SSD with
 * every SSD head layer), its seeded weights, its inputs and
 * OpenCV's outputs. Kaffee's outputs must be OpenCV's within 1e-4 relative; DetectionOutput's
 * rows are compared after sorting by image, label and descending score.
 */
class ForkOracleTest {
  private static final double TOLERANCE = 1e-4;
  /** The DetectionOutput tops of the fixtures, compared as sorted rows. */
  private static final java.util.Set<String> DETECTIONS = java.util.Set.of("det", "detection_out");

  private static Path fixture(String name) throws Exception {
    return Path.of(ForkOracleTest.class.getResource("/fork/" + name).toURI());
  }

  @ParameterizedTest
  @ValueSource(strings = {"relu6", "depthwise", "permute", "normalize", "priorbox", "detection_output",
      "roi_pooling", "mobilenet_ssd"})
  void kaffeeGivesOpenCvsOutputs(String name) throws Exception {
    Path dir = fixture(name);
    Path weights = dir.resolve("weights.caffemodel");
    Network net = Files.exists(weights) ? Kaffee.load(dir.resolve("net.prototxt"), weights)
        : Kaffee.load(dir.resolve("net.prototxt"));
    List<String> roles = Files.readAllLines(dir.resolve("blobs.txt"));
    BlobProtoVector blobs = ProtoFiles.readBinary(dir.resolve("blobs.binaryproto"), BlobProtoVector.newBuilder(),
        "fixture blobs").build();
    assertEquals(roles.size(), blobs.getBlobsCount(), "blobs.txt names every recorded blob");
    for (int i = 0; i < roles.size(); i++) {
      String[] role = roles.get(i).split(" ");
      if (role[0].equals("in")) {
        net.setInput(role[1], values(blobs.getBlobs(i)));
      }
    }
    net.forward();
    for (int i = 0; i < roles.size(); i++) {
      String[] role = roles.get(i).split(" ");
      if (role[0].equals("out")) {
        BlobProto expected = blobs.getBlobs(i);
        String what = name + " " + role[1];
        float[] actual = net.blob(role[1]);
        float[] oracle = values(expected);
        if (DETECTIONS.contains(role[1])) {
          actual = sortedRows(actual);
          oracle = sortedRows(withoutPadding(oracle));
        } else {
          assertArrayEquals(Blob.protoShape(expected), net.blobShape(role[1]), what + ": shape");
        }
        near(oracle, actual, what);
      }
    }
  }

  private static float[] values(BlobProto blob) {
    float[] v = new float[blob.getDataCount()];
    for (int i = 0; i < v.length; i++) {
      v[i] = blob.getData(i);
    }
    return v;
  }

  /**
   * OpenCV's rows without the all-zero rows it pads its output with up to keep_top_k per image
   * (label 0 is the background, which no real detection has).
   */
  private static float[] withoutPadding(float[] rows) {
    List<Float> kept = new ArrayList<>();
    for (int r = 0; r < rows.length / 7; r++) {
      boolean padding = true;
      for (int j = 0; j < 7; j++) {
        padding &= rows[r * 7 + j] == 0;
      }
      if (!padding) {
        for (int j = 0; j < 7; j++) {
          kept.add(rows[r * 7 + j]);
        }
      }
    }
    float[] out = new float[kept.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = kept.get(i);
    }
    return out;
  }

  /** Detection rows (image, label, score, corners) by image, label, then descending score. */
  private static float[] sortedRows(float[] rows) {
    List<float[]> list = new ArrayList<>();
    for (int r = 0; r < rows.length / 7; r++) {
      list.add(Arrays.copyOfRange(rows, r * 7, r * 7 + 7));
    }
    list.sort(Comparator.comparingDouble((float[] r) -> r[0]).thenComparingDouble(r -> r[1])
        .thenComparingDouble(r -> -r[2]));
    float[] out = new float[rows.length];
    for (int r = 0; r < list.size(); r++) {
      System.arraycopy(list.get(r), 0, out, r * 7, 7);
    }
    return out;
  }

  private static void near(float[] expected, float[] actual, String what) {
    assertEquals(expected.length, actual.length, what);
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual[i], TOLERANCE * Math.max(1, Math.abs(expected[i])),
          what + " element " + i);
    }
  }
}
