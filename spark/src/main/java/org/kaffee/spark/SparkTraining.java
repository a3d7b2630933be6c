package org.kaffee.spark;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.SparkSession;
import org.kaffee.core.KaffeeException;
import org.kaffee.io.WorkDir;
import org.kaffee.log.Glog;
import org.kaffee.proto.Caffe.SolverParameter;
import org.kaffee.solver.LatestSnapshot;
import org.kaffee.solver.Solver;
import scala.reflect.ClassTag$;

/**
 * {@code kaffee train --spark-master=M --workers=N}: the driver's side. One barrier stage of N
 * long-lived tasks, one replica each, which all-reduce gradients among themselves over a TCP ring
 * ({@link BarrierReplica}); the driver only launches the stage and waits. A failed task fails the
 * whole stage (barrier mode); the driver then starts a new stage from the newest snapshot, at
 * most {@code retries} times, and the retried replicas read past the data the snapshot's
 * iterations consumed, so the final weights are those of an uninterrupted run. Rank 0's log
 * lines come to the driver's log, and the driver's signal requests go to rank 0, through a
 * {@link DriverChannel}; a job a signal stopped is not retried.
 */
public final class SparkTraining {
  /** How long a task waits for a peer in the ring before the stage fails. */
  static final Duration PEER_TIMEOUT = Duration.ofMinutes(5);

  private SparkTraining() {
  }

  /**
   * Starts a Spark session on {@code master}, trains, and stops the session; {@code actions}
   * (the driver's signal requests, polled) apply to the whole job.
   */
  public static void run(String master, SolverParameter param, int workers, Path resume, int retries,
      Supplier<Solver.Action> actions) {
    SparkSessions.with(master, "kaffee train", spark -> {
      train(spark, param, workers, resume, retries, FailurePlan.NONE, actions);
      return null;
    });
  }

  /**
   * Trains {@code workers} replicas in {@code spark}, retrying a failed stage up to
   * {@code retries} times from the newest snapshot; {@code plan} plants a failure (tests).
   */
  public static void train(SparkSession spark, SolverParameter param, int workers, Path resume,
      int retries, FailurePlan plan) {
    train(spark, param, workers, resume, retries, plan, () -> Solver.Action.NONE);
  }

  /** As above, with the driver's signal requests ({@code actions}, polled) applied to the job. */
  public static void train(SparkSession spark, SolverParameter param, int workers, Path resume,
      int retries, FailurePlan plan, Supplier<Solver.Action> actions) {
    List<Integer> ranks = new ArrayList<>();
    for (int r = 0; r < workers; r++) {
      ranks.add(r);
    }
    RDD<Integer> stage = JavaSparkContext.fromSparkContext(spark.sparkContext())
        .parallelize(ranks, Math.max(workers, 1)).rdd();
    train(spark, param, workers, resume, retries, plan, stage, new TaskData.SharedFiles(), actions);
  }

  /**
   * Runs one barrier task per partition of {@code partitions} (one per worker), each training
   * on what {@code data} makes of its partition, with the retries described above.
   */
  static <T> void train(SparkSession spark, SolverParameter param, int workers, Path resume,
      int retries, FailurePlan plan, RDD<T> partitions, TaskData<T> data, Supplier<Solver.Action> actions) {
    KaffeeException.check(workers >= 1, "--workers must be at least 1, got %d", workers);
    KaffeeException.check(retries >= 0, "--spark-retries must be at least 0, got %d", retries);
    PythonLayersOnSpark.refuse(param);
    Glog.info("Training %d replicas as Spark barrier tasks on %s", workers, spark.sparkContext().master());
    try (DriverChannel channel = DriverChannel.open(spark.sparkContext().getConf().get("spark.driver.host"),
        actions)) {
      attempts(param, resume, retries, plan, partitions, data, channel);
    }
  }

  private static <T> void attempts(SolverParameter param, Path resume, int retries, FailurePlan plan,
      RDD<T> partitions, TaskData<T> data, DriverChannel channel) {
    Path from = resume;
    for (int attempt = 0; ; attempt++) {
      channel.beginAttempt(attempt);
      TrainingJob job = new TrainingJob(param.toByteArray(), WorkDir.get().toAbsolutePath().toString(),
          from == null ? null : from.toAbsolutePath().toString(), attempt,
          PEER_TIMEOUT.toMillis(), plan, channel.address());
      try {
        runStage(partitions, job, data, channel);
        return;
      } catch (Exception e) { // Spark's exceptions are checked ones thrown without a declaration
        String cause = TaskFailures.describe(e);
        Optional<Path> latest = LatestSnapshot.of(param);
        if (attempt >= retries || channel.stopRequested()) {
          throw new KaffeeException(String.format("distributed training failed (%d attempt%s%s): %s%s",
              attempt + 1, attempt == 0 ? "" : "s", channel.stopRequested() ? ", stop requested" : "",
              cause, latest.map(p -> "; resume with --snapshot=" + p).orElse("")), e);
        }
        if (latest.isPresent()) {
          from = latest.get();
        }
        Glog.warn("Spark stage failed (attempt %d of %d): %s; retrying from %s", attempt + 1, retries + 1,
            cause, from == null ? "the start" : from.toString());
      }
    }
  }

  private static <T> void runStage(RDD<T> partitions, TrainingJob job, TaskData<T> data,
      DriverChannel channel) {
    List<String> reached = partitions.barrier()
        .mapPartitions(new BarrierReplica<>(job, data), false, ClassTag$.MODULE$.apply(String.class))
        .toJavaRDD().collect();
    channel.awaitLines(job.attempt());
    Glog.info("Spark tasks finished (rank, iteration): %s", String.join(", ", reached));
  }
}
