package org.kaffee.cli;

import picocli.CommandLine.Command;

/** {@code kaffee upgrade_net_proto_binary}. */
@Command(name = "upgrade_net_proto_binary", mixinStandardHelpOptions = true,
    description = "Not implemented in this build yet.")
final class UpgradeNetBinaryCommand implements Runnable {
  @Override
  public void run() {
    throw NotBuiltYet.error("upgrade_net_proto_binary");
  }
}
