package org.kaffee.cli;

import picocli.CommandLine.Command;

/** {@code kaffee train}. */
@Command(name = "train", mixinStandardHelpOptions = true,
    description = "Not implemented in this build yet.")
final class TrainCommand implements Runnable {
  @Override
  public void run() {
    throw NotBuiltYet.error("train");
  }
}
