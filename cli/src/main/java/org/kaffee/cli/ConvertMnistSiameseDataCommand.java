package org.kaffee.cli;

import org.kaffee.data.MnistSiameseConverter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code kaffee convert_mnist_siamese_data}: random image pairs for Siamese training. */
@Command(name = "convert_mnist_siamese_data", mixinStandardHelpOptions = true,
    description = "Convert MNIST idx files into a database of image pairs (2-channel Datums, "
        + "label 1 for the same class, 0 otherwise).")
final class ConvertMnistSiameseDataCommand implements Runnable {
  @Mixin
  MnistFiles files;

  @Option(names = {"--seed", "-seed"}, defaultValue = "1701",
      description = "Seed of the random pairing (default ${DEFAULT-VALUE}).")
  long seed;

  @Override
  public void run() {
    MnistSiameseConverter.convert(files.images, files.labels, files.db, files.backend.name,
        seed);
  }
}
