package org.kaffee.cli;

import org.kaffee.data.MnistConverter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code kaffee convert_mnist_data}: MNIST idx files into an LMDB/LevelDB of Datums (keys %08d). */
@Command(name = "convert_mnist_data", mixinStandardHelpOptions = true,
    description = "Convert MNIST idx image and label files (plain or gzip) into a Datum database.")
final class ConvertMnistDataCommand implements Runnable {
  @Mixin
  MnistFiles files;

  @Option(names = {"--label_map", "-label_map"}, split = ",",
      description = "Kaffee extension: the new label of each original class 0, 1, 2, ... "
          + "(for example 0,2,0,0,0,1,0,1,2,1 folds Fashion-MNIST into 3 classes).")
  int[] labelMap;

  @Override
  public void run() {
    MnistConverter.convert(files.images, files.labels, files.db, files.backend.name, labelMap);
  }
}
