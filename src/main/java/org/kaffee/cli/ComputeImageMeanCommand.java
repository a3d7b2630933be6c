package org.kaffee.cli;

import java.nio.file.Path;
import org.kaffee.data.ImageMean;
import org.kaffee.io.ProtoFiles;
import org.kaffee.log.Glog;
import org.kaffee.proto.Caffe.BlobProto;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code kaffee compute_image_mean}: the mean image of a Datum database as a binaryproto. */
@Command(name = "compute_image_mean", mixinStandardHelpOptions = true,
    description = "Compute the mean image of a set of images given by a leveldb/lmdb.")
final class ComputeImageMeanCommand implements Runnable {
  @Parameters(index = "0", paramLabel = "INPUT_DB")
  Path db;

  @Parameters(index = "1", paramLabel = "OUTPUT_FILE", arity = "0..1")
  Path output;

  @Mixin
  BackendOption backend;

  @Override
  public void run() {
    BlobProto mean = ImageMean.compute(db, backend.name);
    if (output != null) {
      Glog.info("Write to %s", output);
      ProtoFiles.writeBinary(output, mean);
    }
    ImageMean.logChannelMeans(mean);
  }
}
