package org.kaffee.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.kaffee.core.KaffeeException;
import org.kaffee.log.Glog;
import org.kaffee.tools.FeatureExtractor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code kaffee extract_features}: stores blobs of a TEST net as Datums (float_data), keys %010d. */
@Command(name = "extract_features", mixinStandardHelpOptions = true,
    description = "Extract features of a trained net into LMDB/LevelDB databases: pretrained_net_param "
        + "feature_extraction_proto_file extract_feature_blob_name1[,name2,...] "
        + "save_feature_dataset_name1[,name2,...] num_mini_batches db_type [CPU/GPU] [DEVICE_ID=0]")
final class ExtractFeaturesCommand implements Runnable {
  @Parameters(index = "0", paramLabel = "PRETRAINED_NET_PARAM")
  Path weights;

  @Parameters(index = "1", paramLabel = "FEATURE_EXTRACTION_PROTO_FILE")
  Path net;

  @Parameters(index = "2", paramLabel = "BLOB_NAMES")
  String blobs;

  @Parameters(index = "3", paramLabel = "DB_NAMES")
  String dbs;

  @Parameters(index = "4", paramLabel = "NUM_MINI_BATCHES")
  int batches;

  @Parameters(index = "5", paramLabel = "DB_TYPE")
  String dbType;

  @Parameters(index = "6..*", paramLabel = "CPU/GPU [DEVICE_ID]", arity = "0..2")
  List<String> device = new ArrayList<>();

  @Override
  public void run() {
    if (!device.isEmpty() && device.get(0).equalsIgnoreCase("GPU")) {
      Glog.warn("Kaffee runs on the CPU only; GPU is ignored");
    } else if (!device.isEmpty() && !device.get(0).equalsIgnoreCase("CPU")) {
      throw new KaffeeException("expected CPU or GPU after the database type, got '" + device.get(0) + "'");
    }
    Glog.info("Using CPU");
    List<Path> dbPaths = new ArrayList<>();
    for (String d : dbs.split(",")) {
      dbPaths.add(Path.of(d));
    }
    FeatureExtractor.extract(weights, net, Arrays.asList(blobs.split(",")), dbPaths, batches, dbType);
  }
}
