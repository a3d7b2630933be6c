package org.kaffee.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.kaffee.api.Kaffee;
import org.kaffee.api.Network;
import org.kaffee.io.ProtoFiles;
import org.kaffee.proto.Caffe.BlobProto;
import org.kaffee.proto.Caffe.BlobProtoVector;

/**
 * One case under engine/src/test/resources/fork, recorded from OpenCV 4.6's dnn by make_fixtures.py
 * there: net.prototxt, its seeded weights.caffemodel (if the net has weights), and
 * blobs.binaryproto with the inputs, then OpenCV's outputs, named in order by blobs.txt. The large
 * cases store the last two gzipped (a .gz after the name); they are unpacked into a scratch folder.
 */
public final class ForkFixture {
  private final Path prototxt;
  private final Path weights;
  private final Map<String, BlobProto> inputs = new LinkedHashMap<>();
  private final Map<String, BlobProto> outputs = new LinkedHashMap<>();

  private ForkFixture(Path prototxt, Path weights) {
    this.prototxt = prototxt;
    this.weights = weights;
  }

  public static ForkFixture read(String name, Path scratch) throws Exception {
    Path dir = Path.of(ForkFixture.class.getResource("/fork/" + name).toURI());
    ForkFixture fixture = new ForkFixture(dir.resolve("net.prototxt"), unpacked(dir, "weights.caffemodel", scratch));
    List<String> roles = Files.readAllLines(dir.resolve("blobs.txt"));
    BlobProtoVector blobs = ProtoFiles.readBinary(unpacked(dir, "blobs.binaryproto", scratch),
        BlobProtoVector.newBuilder(), "fixture blobs").build();
    assertEquals(roles.size(), blobs.getBlobsCount(), name + ": blobs.txt names every recorded blob");
    for (int i = 0; i < roles.size(); i++) {
      String[] role = roles.get(i).split(" ");
      (role[0].equals("in") ? fixture.inputs : fixture.outputs).put(role[1], blobs.getBlobs(i));
    }
    return fixture;
  }

  /** The file itself, its copy unpacked from file.gz into scratch, or null when there is neither. */
  private static Path unpacked(Path dir, String file, Path scratch) throws IOException {
    Path packed = dir.resolve(file + ".gz");
    if (!Files.exists(packed)) {
      return Files.exists(dir.resolve(file)) ? dir.resolve(file) : null;
    }
    Path target = scratch.resolve(file);
    try (InputStream in = new GZIPInputStream(Files.newInputStream(packed))) {
      Files.copy(in, target);
    }
    return target;
  }

  /** The net with the fixture's weights, or with its fillers' when the case has none. */
  public Network load() {
    return weights == null ? Kaffee.load(prototxt) : Kaffee.load(prototxt, weights);
  }

  public Map<String, float[]> inputs() {
    Map<String, float[]> values = new LinkedHashMap<>();
    inputs.forEach((name, blob) -> values.put(name, values(blob)));
    return values;
  }

  /** OpenCV's outputs by blob name, in the order recorded. */
  public Map<String, BlobProto> outputs() {
    return outputs;
  }

  public static float[] values(BlobProto blob) {
    float[] v = new float[blob.getDataCount()];
    for (int i = 0; i < v.length; i++) {
      v[i] = blob.getData(i);
    }
    return v;
  }

  /**
   * OpenCV's DetectionOutput rows without the all-zero rows it pads its output with up to
   * keep_top_k per image (label 0 is the background, which no real detection has).
   */
  public static float[] withoutPadding(float[] rows) {
    List<float[]> kept = new ArrayList<>();
    for (float[] row : rows(rows)) {
      for (float v : row) {
        if (v != 0) {
          kept.add(row);
          break;
        }
      }
    }
    return joined(kept);
  }

  /** DetectionOutput rows (image, label, score, corners) by image, label, then descending score. */
  public static float[] sortedRows(float[] rows) {
    List<float[]> list = rows(rows);
    list.sort(Comparator.comparingDouble((float[] r) -> r[0]).thenComparingDouble(r -> r[1])
        .thenComparingDouble(r -> -r[2]));
    return joined(list);
  }

  private static List<float[]> rows(float[] rows) {
    List<float[]> list = new ArrayList<>();
    for (int r = 0; r < rows.length / 7; r++) {
      list.add(Arrays.copyOfRange(rows, r * 7, r * 7 + 7));
    }
    return list;
  }

  private static float[] joined(List<float[]> rows) {
    float[] out = new float[rows.size() * 7];
    for (int r = 0; r < rows.size(); r++) {
      System.arraycopy(rows.get(r), 0, out, r * 7, 7);
    }
    return out;
  }
}
