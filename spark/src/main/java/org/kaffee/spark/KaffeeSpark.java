package org.kaffee.spark;

import java.util.List;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.kaffee.core.KaffeeException;
import org.kaffee.log.Glog;
import org.kaffee.proto.Caffe.SolverParameter;
import org.kaffee.solver.Solver;
import org.kaffee.solver.Solvers;
import scala.Tuple2;

/**
 * The Spark-native way in: trains a solver on a DataFrame with a {@code data} and a
 * {@code label} column ({@link RowDatums} lists the data types read), in {@code workers} barrier
 * tasks that all-reduce their gradients as {@code kaffee train --spark-master} does.
 *
 * <p>Row i of the DataFrame (in its own order) goes to the task whose slice of the global batch
 * holds it: task k gets rows {@code k*B .. k*B+B-1} of every global batch of {@code B x workers}
 * rows (B: the train net's Data layer batch_size), so the run equals one process reading the
 * rows in order at batch {@code B x workers}. The rows after the last whole global batch are
 * left out (every task's epoch then has the same length). The train net's Data layer says the
 * batch size and the transform; its source is replaced by the task's rows.
 */
public final class KaffeeSpark {
  /** Workers, retries from the newest snapshot, and the C x H x W shape of array-valued data. */
  public record Options(int workers, int retries, int channels, int height, int width) {
    public static Options workers(int workers) {
      return new Options(workers, 2, 0, 0, 0);
    }

    public Options withRetries(int value) {
      return new Options(workers, value, channels, height, width);
    }

    public Options withShape(int c, int h, int w) {
      return new Options(workers, retries, c, h, w);
    }
  }

  private KaffeeSpark() {
  }

  /** Trains the solver prototxt {@code solverFile} (read as {@code kaffee train} reads it). */
  public static void train(Dataset<Row> data, String solverFile, Options options) {
    train(data, Solvers.readFile(solverFile), options);
  }

  public static void train(Dataset<Row> data, SolverParameter solver, Options options) {
    int layer = TrainNets.trainDataLayer(solver);
    int batch = TrainNets.trainNet(solver).getLayer(layer).getDataParam().getBatchSize();
    KaffeeException.check(batch > 0, "the train net's Data layer needs a positive batch_size");
    KaffeeException.check(options.workers() >= 1, "workers must be at least 1, got %d", options.workers());
    List<String> columns = List.of(data.columns());
    KaffeeException.check(columns.contains("data") && columns.contains("label"), "the DataFrame needs a 'data'"
        + " and a 'label' column; it has %s", String.join(", ", columns));
    // Counting, checking the first row and slicing each read the DataFrame; kept after the
    // first read (memory, spilling to disk), a costly source (files, a query) is read once.
    Dataset<Row> examples = data.select("data", "label").persist();
    try {
      train(examples, solver, options, layer, batch);
    } finally {
      examples.unpersist();
    }
  }

  private static void train(Dataset<Row> examples, SolverParameter solver, Options options, int layer,
      int batch) {
    long global = (long) batch * options.workers();
    long rows = examples.count();
    long used = rows / global * global;
    KaffeeException.check(used > 0, "the DataFrame has %d rows, fewer than one global batch (batch_size %d x"
        + " %d workers)", rows, batch, options.workers());
    RowDatums datums = new RowDatums(options.channels(), options.height(), options.width());
    datums.toDatum(examples.first(), 0); // a wrong shape or type fails here, not in every task
    Glog.info("Feeding %d of the DataFrame's %d rows to %d tasks (%d global batches of %d)", used, rows,
        options.workers(), used / global, global);
    JavaPairRDD<Long, Row> slices = examples.javaRDD().zipWithIndex()
        .mapToPair(Tuple2::swap)
        .filter(row -> row._1() < used)
        .repartitionAndSortWithinPartitions(new BatchSlices(options.workers(), batch));
    SparkSession spark = examples.sparkSession();
    // a DataFrame run starts from the solver's weights: retries resume from its own snapshots
    SparkTraining.train(spark, solver, options.workers(), null, options.retries(), FailurePlan.NONE,
        slices.rdd(), new FrameRows(layer, datums), () -> Solver.Action.NONE);
  }

  /** Row index to the worker whose slice of the global batch holds it. */
  private static final class BatchSlices extends Partitioner {
    private final int workers;
    private final int batch;

    BatchSlices(int workers, int batch) {
      this.workers = workers;
      this.batch = batch;
    }

    @Override
    public int numPartitions() {
      return workers;
    }

    @Override
    public int getPartition(Object index) {
      return (int) ((Long) index % ((long) batch * workers) / batch);
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof BatchSlices b && b.workers == workers && b.batch == batch;
    }

    @Override
    public int hashCode() {
      return 31 * workers + batch;
    }
  }
}
