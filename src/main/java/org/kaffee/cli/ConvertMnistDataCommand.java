package org.kaffee.cli;

import java.nio.file.Path;
import org.kaffee.data.MnistConverter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kaffee convert_mnist_data}: MNIST idx files into an LMDB/LevelDB of Datums (keys %08d). */
@Command(name = "convert_mnist_data", mixinStandardHelpOptions = true,
    description = "Convert MNIST idx image and label files (plain or gzip) into a Datum database.")
final class ConvertMnistDataCommand implements Runnable {
  @Parameters(index = "0", paramLabel = "INPUT_IMAGE_FILE")
  Path images;

  @Parameters(index = "1", paramLabel = "INPUT_LABEL_FILE")
  Path labels;

  @Parameters(index = "2", paramLabel = "OUTPUT_DB")
  Path db;

  @Mixin
  BackendOption backend;

  @Option(names = {"--label_map", "-label_map"}, split = ",",
      description = "Kaffee extension: the new label of each original class 0, 1, 2, ... "
          + "(for example 0,2,0,0,0,1,0,1,2,1 folds Fashion-MNIST into 3 classes).")
  int[] labelMap;

  @Override
  public void run() {
    MnistConverter.convert(images, labels, db, backend.name, labelMap);
  }
}
