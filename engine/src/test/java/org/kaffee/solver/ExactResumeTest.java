package org.kaffee.solver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kaffee.core.KaffeeException;
import org.kaffee.data.Database;
import org.kaffee.io.ProtoFiles;
import org.kaffee.proto.Caffe.AnnotatedDatum;
import org.kaffee.proto.Caffe.Datum;
import org.kaffee.proto.Caffe.SolverParameter;
import org.kaffee.proto.Caffe.SolverState;
import org.kaffee.testing.LogCapture;

/**
 * A run resumed from a snapshot in the middle of an epoch is the uninterrupted run: run A
 * trains 7 iterations straight with a snapshot at 3 (10 records, 4 per iteration: iteration 3
 * starts in the middle of the second pass), run B is a new solver resumed from A's iteration-3
 * solverstate; both end with the same caffemodel bytes and log the same losses. Run C resumes
 * with {@link ResumeData#RESTART} (Caffe's resume) and must end elsewhere, or the net would not
 * show a wrong position at all. Each data layer with a position or a generator, and Dropout,
 * in one process and as two worker threads; binary and HDF5 snapshots.
 */
class ExactResumeTest {
  private static final int RECORDS = 10;
  private static final int ITERATIONS = 7;
  private static final int SNAPSHOT = 3;
  private static final Pattern LOSS = Pattern.compile("Iteration (\\d+)\\b.*, loss = (\\S+)");

  @TempDir
  Path dir;
  private boolean hdf5;

  // ---- the data layers -------------------------------------------------------

  @Test
  void lmdb() throws Exception {
    check(dataLayer("LMDB"), false);
  }

  @Test
  void lmdbWithTwoWorkers() throws Exception {
    check(dataLayer("LMDB"), true);
  }

  @Test
  void lmdbWithHdf5Snapshots() throws Exception {
    hdf5 = true;
    check(dataLayer("LMDB"), false);
  }

  @Test
  void annotatedData() throws Exception {
    check(annotatedDataLayer(), false);
  }

  @Test
  void annotatedDataWithTwoWorkers() throws Exception {
    check(annotatedDataLayer(), true);
  }

  /** Caffe's solverstate (no resume field) resumes as Caffe does, saying so in one line. */
  @Test
  void aSolverstateWithoutResumeStateStartsTheDataOver() throws Exception {
    NetText net = dataLayer("LMDB");
    train(net.of(4), "a", null, ResumeData.EXACT, false);
    Path kaffee = dir.resolve("a_iter_" + SNAPSHOT + ".solverstate");
    SolverState full = SolverState.parseFrom(Files.readAllBytes(kaffee));
    assertTrue(full.getUnknownFields().hasField(ResumeStates.SOLVER_STATE_FIELD));
    Path caffe = dir.resolve("caffe.solverstate");
    Files.write(caffe, full.toBuilder().setUnknownFields(UnknownFieldSet.getDefaultInstance()).build().toByteArray());
    String log = train(net.of(4), "b", caffe, ResumeData.EXACT, false);
    train(net.of(4), "c", kaffee, ResumeData.RESTART, false);
    assertTrue(log.contains(caffe + " carries no data positions (Caffe's solverstate): the data layers start over"
        + " at their first record"), log);
    assertArrayEquals(model("c"), model("b"));
  }

  /** A database changed since the snapshot is named in one line, with the solverstate. */
  @Test
  void aDatabaseThatNoLongerFitsTheSnapshotIsRefusedInOneLine() throws Exception {
    NetText net = dataLayer("LMDB");
    train(net.of(4), "a", null, ResumeData.EXACT, false);
    Path db = dir.resolve("lmdb");
    try (Stream<Path> files = Files.walk(db)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
    writeDatums("lmdb", db, 2);
    Path snapshot = dir.resolve("a_iter_" + SNAPSHOT + ".solverstate");
    KaffeeException e = assertThrows(KaffeeException.class,
        () -> train(net.of(4), "b", snapshot, ResumeData.EXACT, false));
    assertTrue(e.getMessage().startsWith(snapshot + ": layer data (Data): source " + db + ": the snapshot"
        + " continues at record 2, key '00000002', but the database has only 2 records"), e.getMessage());
    assertEquals(1, e.getMessage().lines().count(), e.getMessage());
  }

  @Test
  void leveldb() throws Exception {
    check(dataLayer("LEVELDB"), false);
  }

  @Test
  void leveldbWithTwoWorkers() throws Exception {
    check(dataLayer("LEVELDB"), true);
  }

  @Test
  void imageDataWithShuffle() throws Exception {
    check(imageData(), false);
  }

  @Test
  void imageDataWithShuffleAndTwoWorkers() throws Exception {
    check(imageData(), true);
  }

  @Test
  void hdf5DataWithShuffle() throws Exception {
    check(hdf5Data(), false);
  }

  @Test
  void hdf5DataWithShuffleAndTwoWorkers() throws Exception {
    check(hdf5Data(), true);
  }

  @Test
  void windowData() throws Exception {
    check(windowDataNet(), false);
  }

  @Test
  void windowDataWithTwoWorkers() throws Exception {
    check(windowDataNet(), true);
  }

  @Test
  void dropout() throws Exception {
    check(dropoutNet(), false);
  }

  @Test
  void dropoutWithTwoWorkers() throws Exception {
    check(dropoutNet(), true);
  }

  /** A net text over a batch size: the data layer and what follows it. */
  private interface NetText {
    String of(int batch);
  }

  private NetText dataLayer(String backend) {
    Path db = dir.resolve(backend.toLowerCase());
    writeDatums(backend.toLowerCase(), db);
    return batch -> "layer { name: \"data\" type: \"Data\" top: \"data\" top: \"label\"\n"
        + "  transform_param { scale: 0.00390625 crop_size: 3 mirror: true }\n"
        + "  data_param { source: \"" + db + "\" backend: " + backend + " batch_size: " + batch + " } }\n"
        + classifier("");
  }

  /** SSD's AnnotatedData over records without boxes (one label per item), cropped and mirrored. */
  private NetText annotatedDataLayer() {
    Path db = dir.resolve("annotated");
    writeDatums("lmdb", db, RECORDS, datum -> AnnotatedDatum.newBuilder().setDatum(datum).build().toByteArray());
    return batch -> "layer { name: \"data\" type: \"AnnotatedData\" top: \"data\" top: \"label\"\n"
        + "  transform_param { scale: 0.00390625 crop_size: 3 mirror: true }\n"
        + "  data_param { source: \"" + db + "\" backend: LMDB batch_size: " + batch + " } }\n"
        + classifier("");
  }

  private NetText dropoutNet() {
    Path db = dir.resolve("lmdb");
    writeDatums("lmdb", db);
    return batch -> "layer { name: \"data\" type: \"Data\" top: \"data\" top: \"label\"\n"
        + "  transform_param { scale: 0.00390625 }\n"
        + "  data_param { source: \"" + db + "\" backend: LMDB batch_size: " + batch + " } }\n"
        + classifier("layer { name: \"drop\" type: \"Dropout\" bottom: \"ip1\" top: \"ip1\""
            + " dropout_param { dropout_ratio: 0.5 } }\n");
  }

  private NetText imageData() throws IOException {
    Random random = new Random(11);
    StringBuilder list = new StringBuilder();
    for (int i = 0; i < RECORDS; i++) {
      BufferedImage image = new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_GRAY);
      for (int y = 0; y < 4; y++) {
        for (int x = 0; x < 4; x++) {
          int v = random.nextInt(256);
          image.setRGB(x, y, v << 16 | v << 8 | v);
        }
      }
      ImageIO.write(image, "png", dir.resolve("img" + i + ".png").toFile());
      list.append("img").append(i).append(".png ").append(i % 4).append('\n');
    }
    Files.writeString(dir.resolve("list.txt"), list);
    return batch -> "layer { name: \"data\" type: \"ImageData\" top: \"data\" top: \"label\"\n"
        + "  transform_param { scale: 0.00390625 crop_size: 3 mirror: true }\n"
        + "  image_data_param { source: \"" + dir.resolve("list.txt") + "\" root_folder: \"" + dir + "/\""
        + " is_color: false shuffle: true batch_size: " + batch + " } }\n"
        + classifier("");
  }

  /** Two files of 5 rows each: the file order and each file's rows are shuffled. */
  private NetText hdf5Data() throws IOException {
    Random random = new Random(13);
    StringBuilder list = new StringBuilder();
    for (int f = 0; f < 2; f++) {
      float[][][][] data = new float[RECORDS / 2][1][4][4];
      float[] label = new float[RECORDS / 2];
      for (int i = 0; i < label.length; i++) {
        for (float[] row : data[i][0]) {
          for (int k = 0; k < row.length; k++) {
            row[k] = random.nextFloat();
          }
        }
        label[i] = (f * label.length + i) % 4;
      }
      Path file = dir.resolve("part" + f + ".h5");
      try (WritableHdfFile out = HdfFile.write(file)) {
        out.putDataset("data", data);
        out.putDataset("label", label);
      }
      list.append(file).append('\n');
    }
    Files.writeString(dir.resolve("h5list.txt"), list);
    return batch -> "layer { name: \"data\" type: \"HDF5Data\" top: \"data\" top: \"label\"\n"
        + "  hdf5_data_param { source: \"" + dir.resolve("h5list.txt") + "\" shuffle: true batch_size: "
        + batch + " } }\n"
        + classifier("");
  }

  /** The committed WindowData example (paths relative to the repository root, the tests' directory). */
  private NetText windowDataNet() throws IOException {
    String text = Files.readString(Path.of("models/windowdata/windowdata_train.prototxt"));
    return batch -> text.replace("batch_size: 8", "batch_size: " + batch);
  }

  private static String classifier(String afterRelu) {
    return "layer { name: \"ip1\" type: \"InnerProduct\" bottom: \"data\" top: \"ip1\"\n"
        + "  inner_product_param { num_output: 8 weight_filler { type: \"gaussian\" std: 0.3 } } }\n"
        + "layer { name: \"relu\" type: \"ReLU\" bottom: \"ip1\" top: \"ip1\" }\n"
        + afterRelu
        + "layer { name: \"ip2\" type: \"InnerProduct\" bottom: \"ip1\" top: \"ip2\"\n"
        + "  inner_product_param { num_output: 4 weight_filler { type: \"xavier\" } } }\n"
        + "layer { name: \"loss\" type: \"SoftmaxWithLoss\" bottom: \"ip2\" bottom: \"label\" top: \"loss\" }\n";
  }

  private void writeDatums(String backend, Path db) {
    writeDatums(backend, db, RECORDS);
  }

  private void writeDatums(String backend, Path db, int records) {
    writeDatums(backend, db, records, Datum::toByteArray);
  }

  private void writeDatums(String backend, Path db, int records, Function<Datum, byte[]> record) {
    Random random = new Random(7);
    try (Database out = Database.open(backend, db, Database.Mode.NEW)) {
      for (int i = 0; i < records; i++) {
        byte[] pixels = new byte[16];
        random.nextBytes(pixels);
        out.put(String.format("%08d", i).getBytes(), record.apply(Datum.newBuilder().setChannels(1).setHeight(4)
            .setWidth(4).setData(ByteString.copyFrom(pixels)).setLabel(i % 4).build()));
      }
      out.commit();
    }
  }

  // ---- the runs --------------------------------------------------------------

  private void check(NetText net, boolean twoWorkers) throws Exception {
    int batch = twoWorkers ? 2 : 4;
    String straight = train(net.of(batch), "a", null, ResumeData.EXACT, twoWorkers);
    Path snapshot = dir.resolve("a_iter_" + SNAPSHOT + (hdf5 ? ".solverstate.h5" : ".solverstate"));
    String resumed = train(net.of(batch), "b", snapshot, ResumeData.EXACT, twoWorkers);
    train(net.of(batch), "c", snapshot, ResumeData.RESTART, twoWorkers);
    byte[] expected = model("a");
    assertArrayEquals(expected, model("b"), "the resumed run's weights differ from the uninterrupted run's");
    assertEquals(losses(straight, SNAPSHOT), losses(resumed, SNAPSHOT));
    assertEquals(ITERATIONS - SNAPSHOT + 1, losses(resumed, SNAPSHOT).size(), resumed);
    assertFalse(Arrays.equals(expected, model("c")), "restarting the data changed nothing: the test cannot"
        + " tell a resumed position from a fresh one");
  }

  private String train(String net, String prefix, Path resume, ResumeData data, boolean twoWorkers)
      throws Exception {
    SolverParameter.Builder b = SolverParameter.newBuilder();
    ProtoFiles.parseText("net_param { name: \"resume\"\n" + net + "}\n"
        + "type: \"SGD\" base_lr: 0.1 momentum: 0.9 lr_policy: \"fixed\" display: 1 random_seed: 5"
        + " max_iter: " + ITERATIONS + " snapshot: " + SNAPSHOT + " snapshot_prefix: \"" + dir.resolve(prefix)
        + "\"" + (hdf5 ? " snapshot_format: HDF5" : "") + "\n", "solver", b);
    SolverParameter param = b.build();
    return LogCapture.during(() -> {
      if (twoWorkers) {
        WorkerThreads.train(param, 2, resume, () -> Solver.Action.NONE, data).forEach(Solver::close);
      } else {
        Solver solver = Solvers.create(param);
        solver.solve(resume, data);
        solver.close();
      }
    });
  }

  private byte[] model(String prefix) throws IOException {
    return Files.readAllBytes(dir.resolve(prefix + "_iter_" + ITERATIONS + (hdf5 ? ".caffemodel.h5" : ".caffemodel")));
  }

  /** The logged losses from iteration {@code from} on, as "iteration loss" lines. */
  private static List<String> losses(String log, int from) {
    List<String> out = new ArrayList<>();
    for (String line : log.lines().toList()) {
      Matcher m = LOSS.matcher(line);
      if (m.find() && Integer.parseInt(m.group(1)) >= from) {
        out.add(m.group(1) + " " + m.group(2));
      }
    }
    return out;
  }
}
