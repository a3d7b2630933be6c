package org.kaffee.cli;

import picocli.CommandLine.Command;

/** {@code kaffee parse_log}. */
@Command(name = "parse_log", mixinStandardHelpOptions = true,
    description = "Not implemented in this build yet.")
final class ParseLogCommand implements Runnable {
  @Override
  public void run() {
    throw NotBuiltYet.error("parse_log");
  }
}
