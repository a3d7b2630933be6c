package org.kaffee.cli;

import java.nio.file.Path;
import org.kaffee.data.MnistSiameseConverter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kaffee convert_mnist_siamese_data}: random image pairs for Siamese training. */
@Command(name = "convert_mnist_siamese_data", mixinStandardHelpOptions = true,
    description = "Convert MNIST idx files into a database of image pairs (2-channel Datums, "
        + "label 1 for the same class, 0 otherwise).")
final class ConvertMnistSiameseDataCommand implements Runnable {
  @Parameters(index = "0", paramLabel = "INPUT_IMAGE_FILE")
  Path images;

  @Parameters(index = "1", paramLabel = "INPUT_LABEL_FILE")
  Path labels;

  @Parameters(index = "2", paramLabel = "OUTPUT_DB")
  Path db;

  @Mixin
  BackendOption backend;

  @Option(names = {"--seed", "-seed"}, defaultValue = "1701",
      description = "Seed of the random pairing (default ${DEFAULT-VALUE}).")
  long seed;

  @Override
  public void run() {
    MnistSiameseConverter.convert(images, labels, db, backend.name, seed);
  }
}
