package org.kaffee.cli;

import picocli.CommandLine.Command;

/** {@code kaffee upgrade_net_proto_text}. */
@Command(name = "upgrade_net_proto_text", mixinStandardHelpOptions = true,
    description = "Not implemented in this build yet.")
final class UpgradeNetTextCommand implements Runnable {
  @Override
  public void run() {
    throw NotBuiltYet.error("upgrade_net_proto_text");
  }
}
