package org.kaffee.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.kaffee.data.MeanSums;
import org.kaffee.log.Glog;
import org.kaffee.proto.Caffe.BlobProto;

/**
 * compute_image_mean on Spark: task p of P sums every P-th image of the database or list (from
 * p), the sums are merged in one reduction, and the mean is divided as the single process
 * divides. uint8 sums are integers, so the mean equals the single-process one bit for bit.
 */
public final class DistributedImageMean {
  private DistributedImageMean() {
  }

  /** Starts a Spark session on {@code master}, computes the mean with {@code parts} tasks
   *  (Spark's default parallelism when 0), and stops the session. */
  public static BlobProto run(String master, String source, String backend, int parts) {
    return SparkSessions.with(master, "kaffee compute_image_mean", spark -> {
      int tasks = parts > 0 ? parts : spark.sparkContext().defaultParallelism();
      Glog.info("Summing %s in %d Spark tasks on %s", source, tasks, spark.sparkContext().master());
      return compute(spark, source, backend, tasks);
    });
  }

  /** {@code source}: an LMDB/LevelDB folder or an image list file, as a path or Hadoop URI. */
  public static BlobProto compute(SparkSession spark, String source, String backend, int parts) {
    List<Integer> partIds = new ArrayList<>();
    for (int p = 0; p < parts; p++) {
      partIds.add(p);
    }
    boolean list = MeanSums.isImageList(source);
    MeanSums total = JavaSparkContext.fromSparkContext(spark.sparkContext())
        .parallelize(partIds, parts)
        .map(p -> list
            ? MeanSums.ofImageList(ExecutorFiles.local(source), p, parts)
            : ExecutorFiles.withDatabase(source, backend, db -> MeanSums.ofDatabase(db, backend, p, parts)))
        .reduce(MeanSums::merge);
    return total.mean(source);
  }
}
