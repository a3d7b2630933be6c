package org.kaffee.cli;

import picocli.CommandLine.Command;

/** {@code kaffee compute_image_mean}. */
@Command(name = "compute_image_mean", mixinStandardHelpOptions = true,
    description = "Not implemented in this build yet.")
final class ComputeImageMeanCommand implements Runnable {
  @Override
  public void run() {
    throw NotBuiltYet.error("compute_image_mean");
  }
}
