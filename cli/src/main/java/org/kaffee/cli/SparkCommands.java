package org.kaffee.cli;

import java.nio.file.Path;
import java.util.function.Supplier;
import org.kaffee.core.KaffeeException;
import org.kaffee.proto.Caffe.BlobProto;
import org.kaffee.proto.Caffe.SolverParameter;
import org.kaffee.solver.Solver;
import org.kaffee.spark.DistributedImageMean;
import org.kaffee.spark.SparkTraining;

/**
 * The commands' way into {@code org.kaffee.spark}, which needs Spark's jars on the classpath:
 * tools/kaffee adds them only when {@code --spark-master} is given, so a missing jar becomes one
 * readable line here.
 */
final class SparkCommands {
  private SparkCommands() {
  }

  static BlobProto imageMean(String master, String source, String backend, int workers) {
    return withSpark(() -> DistributedImageMean.run(master, source, backend, workers));
  }

  static void train(String master, SolverParameter param, int workers, Path resume, int retries,
      Supplier<Solver.Action> actions) {
    withSpark(() -> {
      SparkTraining.run(master, param, workers, resume, retries, actions);
      return null;
    });
  }

  private static <T> T withSpark(Supplier<T> body) {
    try {
      return body.get();
    } catch (NoClassDefFoundError e) {
      throw new KaffeeException("--spark-master needs Spark's jars on the classpath: run through "
          + "tools/kaffee (it adds target/spark-lib) or spark-submit (missing " + e.getMessage() + ")", e);
    }
  }
}
