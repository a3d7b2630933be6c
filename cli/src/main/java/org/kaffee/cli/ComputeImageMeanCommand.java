package org.kaffee.cli;

import java.nio.file.Path;
import org.kaffee.data.ImageMean;
import org.kaffee.data.MeanSums;
import org.kaffee.io.ProtoFiles;
import org.kaffee.log.Glog;
import org.kaffee.proto.Caffe.BlobProto;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kaffee compute_image_mean}: the mean image of a Datum database or image list as a binaryproto. */
@Command(name = "compute_image_mean", mixinStandardHelpOptions = true,
    description = "Compute the mean image of a set of images given by a leveldb/lmdb or an image list.")
final class ComputeImageMeanCommand implements Runnable {
  @Parameters(index = "0", paramLabel = "INPUT_DB_OR_LIST",
      description = "A database folder, or a text file of 'path label' lines (paths from its folder); "
          + "with --spark-master also an hdfs:// or s3a:// URI.")
  String db;

  @Parameters(index = "1", paramLabel = "OUTPUT_FILE", arity = "0..1")
  Path output;

  @Mixin
  BackendOption backend;

  @Option(names = {"--spark-master", "-spark-master"},
      description = "Sum the images in Spark tasks: local[N], spark://host:7077, yarn, k8s://...")
  String sparkMaster = "";

  @Option(names = {"--workers", "-workers"},
      description = "With --spark-master: the number of tasks (default: Spark's default parallelism).")
  int workers;

  @Override
  public void run() {
    BlobProto mean;
    if (!sparkMaster.isEmpty()) {
      mean = SparkCommands.imageMean(sparkMaster, db, backend.name, workers);
    } else if (MeanSums.isImageList(db)) {
      mean = MeanSums.ofImageList(Path.of(db), 0, 1).mean(db);
    } else {
      mean = ImageMean.compute(Path.of(db), backend.name);
    }
    if (output != null) {
      Glog.info("Write to %s", output);
      ProtoFiles.writeBinary(output, mean);
    }
    ImageMean.logChannelMeans(mean);
  }
}
