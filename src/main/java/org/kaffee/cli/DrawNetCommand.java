package org.kaffee.cli;

import picocli.CommandLine.Command;

/** {@code kaffee draw_net}. */
@Command(name = "draw_net", mixinStandardHelpOptions = true,
    description = "Not implemented in this build yet.")
final class DrawNetCommand implements Runnable {
  @Override
  public void run() {
    throw NotBuiltYet.error("draw_net");
  }
}
