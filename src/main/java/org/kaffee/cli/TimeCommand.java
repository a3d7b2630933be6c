package org.kaffee.cli;

import picocli.CommandLine.Command;

/** {@code kaffee time}. */
@Command(name = "time", mixinStandardHelpOptions = true,
    description = "Not implemented in this build yet.")
final class TimeCommand implements Runnable {
  @Override
  public void run() {
    throw NotBuiltYet.error("time");
  }
}
