package org.kaffee.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.commons.io.FileUtils;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kaffee.cli.Main;
import org.kaffee.data.Image;
import org.kaffee.data.ImageMean;
import org.kaffee.data.MeanSums;
import org.kaffee.io.ProtoFiles;
import org.kaffee.proto.Caffe.BlobProto;

/** compute_image_mean on Spark local[2] against the single-process mean of the same data. */
class DistributedImageMeanTest {
  private static final Path IMAGES_DB = Path.of("engine/src/test/resources/conformance/data/images_db");
  private static SparkSession spark;

  @TempDir
  Path tmp;

  @BeforeAll
  static void startSpark() {
    spark = SparkSessions.start("local[2]", "DistributedImageMeanTest");
  }

  @AfterAll
  static void stopSpark() {
    spark.stop();
  }

  @Test
  void databasesGiveTheSingleProcessMeanBitForBit() throws Exception {
    String[][] cases = {{"lmdb_color", "lmdb"}, {"leveldb_color", "leveldb"}, {"lmdb_encoded_png", "lmdb"}};
    for (String[] c : cases) {
      Path db = copy(IMAGES_DB.resolve(c[0]), tmp.resolve(c[0])); // opening LevelDB writes to its folder
      BlobProto single = ImageMean.compute(db, c[1]);
      for (int parts : new int[] {2, 3}) {
        BlobProto distributed = DistributedImageMean.compute(spark, db.toString(), c[1], parts);
        assertEquals(single, distributed, c[0] + " in " + parts + " tasks");
      }
    }
  }

  private static Path copy(Path from, Path to) throws Exception {
    FileUtils.copyDirectory(from.toFile(), to.toFile());
    return to;
  }

  @Test
  void aFileUriIsCopiedToTheExecutorFirst() {
    Path db = IMAGES_DB.resolve("lmdb_gray").toAbsolutePath();
    BlobProto distributed = DistributedImageMean.compute(spark, db.toUri().toString(), "lmdb", 2);
    assertEquals(ImageMean.compute(db, "lmdb"), distributed);
  }

  @Test
  void anImageListGivesThePlainMeanPixelByPixel() throws Exception {
    Random random = new Random(5);
    List<String> lines = new ArrayList<>();
    long[] sums = new long[3 * 8 * 6];
    for (int i = 0; i < 7; i++) {
      byte[] pixels = new byte[sums.length];
      random.nextBytes(pixels);
      for (int k = 0; k < pixels.length; k++) {
        sums[k] += pixels[k] & 0xff;
      }
      Files.write(tmp.resolve(i + ".png"), new Image(3, 8, 6, pixels).encode("png"));
      lines.add(i + ".png " + (i % 2));
    }
    Path list = Files.write(tmp.resolve("list.txt"), lines);
    BlobProto single = MeanSums.ofImageList(list, 0, 1).mean("list");
    BlobProto distributed = DistributedImageMean.compute(spark, list.toString(), "lmdb", 3);
    assertEquals(List.of(1, 3, 8, 6), List.of(distributed.getNum(), distributed.getChannels(),
        distributed.getHeight(), distributed.getWidth()));
    assertEquals(sums.length, distributed.getDataCount());
    for (int k = 0; k < sums.length; k++) {
      // Caffe's compute_image_mean: the sum of the bytes divided by the count, in float
      float mean = (float) sums[k] / 7f;
      assertEquals(mean, distributed.getData(k), "pixel " + k + " (channel, row, column "
          + k / 48 + ", " + k / 6 % 8 + ", " + k % 6 + ")");
      assertEquals(mean, single.getData(k), "pixel " + k + " of the single-process mean");
    }
  }

  @Test
  void theCommandWritesTheSameBinaryprotoWithASparkMaster() throws Exception {
    Path db = IMAGES_DB.resolve("lmdb_color");
    Path single = tmp.resolve("single.binaryproto");
    Path distributed = tmp.resolve("spark.binaryproto");
    assertEquals(0, Main.run("compute_image_mean", db.toString(), single.toString()));
    // the command reuses the running session (getOrCreate) and stops it; start another for the rest
    assertEquals(0, Main.run("compute_image_mean", "--spark-master=local[2]", "--workers=2",
        db.toString(), distributed.toString()));
    spark = SparkSessions.start("local[2]", "DistributedImageMeanTest");
    assertArrayEquals(Files.readAllBytes(single), Files.readAllBytes(distributed));
    assertEquals(ProtoFiles.readBinary(single, BlobProto.newBuilder(), "mean").build().getDataCount(),
        ProtoFiles.readBinary(distributed, BlobProto.newBuilder(), "mean").build().getDataCount());
  }
}
