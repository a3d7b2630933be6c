package org.kaffee.cli;

import picocli.CommandLine.Command;

/** {@code kaffee convert_mnist_siamese_data}. */
@Command(name = "convert_mnist_siamese_data", mixinStandardHelpOptions = true,
    description = "Not implemented in this build yet.")
final class ConvertMnistSiameseDataCommand implements Runnable {
  @Override
  public void run() {
    throw NotBuiltYet.error("convert_mnist_siamese_data");
  }
}
