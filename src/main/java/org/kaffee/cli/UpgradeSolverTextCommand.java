package org.kaffee.cli;

import picocli.CommandLine.Command;

/** {@code kaffee upgrade_solver_proto_text}. */
@Command(name = "upgrade_solver_proto_text", mixinStandardHelpOptions = true,
    description = "Not implemented in this build yet.")
final class UpgradeSolverTextCommand implements Runnable {
  @Override
  public void run() {
    throw NotBuiltYet.error("upgrade_solver_proto_text");
  }
}
