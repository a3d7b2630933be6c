package org.kaffee.cli;

import picocli.CommandLine.Command;

/** {@code kaffee test}. */
@Command(name = "test", mixinStandardHelpOptions = true,
    description = "Not implemented in this build yet.")
final class TestCommand implements Runnable {
  @Override
  public void run() {
    throw NotBuiltYet.error("test");
  }
}
