package org.kaffee.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.LongAccumulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kaffee.core.KaffeeException;
import org.kaffee.io.NetFiles;
import org.kaffee.testing.TinyTraining;
import org.kaffee.io.WorkDir;
import org.kaffee.log.Glog;
import org.kaffee.solver.WorkerThreads;
import org.kaffee.proto.Caffe.Datum;
import org.kaffee.proto.Caffe.NetParameter;
import org.kaffee.proto.Caffe.SolverParameter;
import org.kaffee.solver.Solver;

/**
 * KaffeeSpark.train on a DataFrame (local[2], two tasks) against {@code --workers=2} reading the
 * same records from an LMDB: the same weights byte for byte, with the images as float arrays
 * and as encoded PNG bytes; Spark's image struct becomes a CHW Datum; bad frames get one line.
 */
class KaffeeSparkTest {
  private static final int RECORDS = 40;
  private static SparkSession spark;
  private final List<byte[]> pixels = new ArrayList<>();

  @TempDir
  Path dir;
  private Path savedWorkDir;

  @BeforeAll
  static void startSpark() {
    spark = SparkSessions.start("local[2]", "KaffeeSparkTest");
  }

  @AfterAll
  static void stopSpark() {
    spark.stop();
  }

  @BeforeEach
  void data() {
    savedWorkDir = WorkDir.get();
    WorkDir.set(dir);
    Glog.setQuiet(true);
    pixels.addAll(TinyTraining.writeLmdb(dir.resolve("train_lmdb"), RECORDS, 9));
  }

  @AfterEach
  void restoreWorkDir() {
    WorkDir.set(savedWorkDir);
    Glog.setQuiet(false);
  }

  private static SolverParameter solver(int batch, String prefix) {
    return TinyTraining.solver("SGD", batch, "random_seed: 3 max_iter: 12 snapshot: 0 snapshot_prefix: \""
        + prefix + "\"");
  }

  /** The final weights, every blob's values in layer order (the layer params hold the data's source). */
  private float[] finalModel(String prefix) {
    NetParameter model = NetFiles.readNetBinary(dir.resolve(prefix + "_iter_12.caffemodel"));
    List<Float> values = new ArrayList<>();
    model.getLayerList().forEach(l -> l.getBlobsList().forEach(b -> values.addAll(b.getDataList())));
    float[] out = new float[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = values.get(i);
    }
    return out;
  }

  private float[] threadsModel() {
    WorkerThreads.train(solver(4, "threads"), 2, null, () -> Solver.Action.NONE).forEach(Solver::close);
    return finalModel("threads");
  }

  private Dataset<Row> frame(boolean encoded) throws Exception {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < RECORDS; i++) {
      byte[] px = pixels.get(i);
      if (encoded) {
        rows.add(RowFactory.create(png(px), i % 4));
      } else {
        List<Float> values = new ArrayList<>();
        for (byte b : px) {
          values.add((float) (b & 0xff));
        }
        rows.add(RowFactory.create(values, i % 4));
      }
    }
    StructType schema = new StructType()
        .add("data", encoded ? DataTypes.BinaryType : DataTypes.createArrayType(DataTypes.FloatType))
        .add("label", DataTypes.IntegerType);
    return spark.createDataFrame(rows, schema);
  }

  private static byte[] png(byte[] gray) throws Exception {
    BufferedImage image = new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_GRAY);
    image.getRaster().setDataElements(0, 0, 4, 4, gray);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "png", out);
    return out.toByteArray();
  }

  @Test
  void floatArraysTrainAsTheThreadsReadingTheDatabase() throws Exception {
    KaffeeSpark.train(frame(false), solver(4, "frame"), KaffeeSpark.Options.workers(2).withShape(1, 4, 4));
    assertArrayEquals(threadsModel(), finalModel("frame"));
  }

  @Test
  void theDataFrameIsReadOnce() throws Exception {
    Dataset<Row> source = frame(false);
    LongAccumulator reads = spark.sparkContext().longAccumulator("rows read");
    Dataset<Row> counted = source.map((MapFunction<Row, Row>) row -> {
      reads.add(1);
      return row;
    }, Encoders.row(source.schema()));
    KaffeeSpark.train(counted, solver(4, "once"), KaffeeSpark.Options.workers(2).withShape(1, 4, 4));
    assertEquals(RECORDS, reads.value());
  }

  @Test
  void encodedImagesTrainAsTheThreadsReadingTheDatabase() throws Exception {
    KaffeeSpark.train(frame(true), solver(4, "png"), KaffeeSpark.Options.workers(2));
    assertArrayEquals(threadsModel(), finalModel("png"));
  }

  @Test
  void sparkImageStructBecomesAChwDatum() {
    StructType imageType = new StructType().add("height", DataTypes.IntegerType).add("width", DataTypes.IntegerType)
        .add("nChannels", DataTypes.IntegerType).add("data", DataTypes.BinaryType);
    StructType schema = new StructType().add("data", imageType).add("label", DataTypes.IntegerType);
    // 1 x 2 pixels, BGR each: (1,2,3) (4,5,6)
    Row image = new GenericRowWithSchema(new Object[] {1, 2, 3, new byte[] {1, 2, 3, 4, 5, 6}}, imageType);
    Datum d = new RowDatums(0, 0, 0).toDatum(new GenericRowWithSchema(new Object[] {image, 7}, schema), 0);
    assertEquals(3, d.getChannels());
    assertEquals(1, d.getHeight());
    assertEquals(2, d.getWidth());
    assertArrayEquals(new byte[] {1, 4, 2, 5, 3, 6}, d.getData().toByteArray());
    assertEquals(7, d.getLabel());
  }

  @Test
  void badFramesGiveOneLine() throws Exception {
    Dataset<Row> unlabelled = frame(false).drop("label");
    KaffeeException e = assertThrows(KaffeeException.class, () -> KaffeeSpark.train(unlabelled, solver(4, "x"),
        KaffeeSpark.Options.workers(2)));
    assertEquals("the DataFrame needs a 'data' and a 'label' column; it has data", e.getMessage());
    KaffeeException few = assertThrows(KaffeeException.class, () -> KaffeeSpark.train(frame(false).limit(7),
        solver(4, "x"), KaffeeSpark.Options.workers(2)));
    assertEquals("the DataFrame has 7 rows, fewer than one global batch (batch_size 4 x 2 workers)", few.getMessage());
    KaffeeException shape = assertThrows(KaffeeException.class, () -> KaffeeSpark.train(frame(false),
        solver(4, "x"), KaffeeSpark.Options.workers(2).withShape(1, 3, 3).withRetries(0)));
    assertEquals("row 0: data has 16 values, the shape 1x3x3 needs 9", shape.getMessage());
  }
}
