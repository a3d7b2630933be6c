package org.kaffee.cli;

import picocli.CommandLine.Command;

/** {@code kaffee plot_training_log}. */
@Command(name = "plot_training_log", mixinStandardHelpOptions = true,
    description = "Not implemented in this build yet.")
final class PlotTrainingLogCommand implements Runnable {
  @Override
  public void run() {
    throw NotBuiltYet.error("plot_training_log");
  }
}
