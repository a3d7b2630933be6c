package org.kaffee.cli;

import picocli.CommandLine.Command;

/** {@code kaffee convert_imageset}. */
@Command(name = "convert_imageset", mixinStandardHelpOptions = true,
    description = "Not implemented in this build yet.")
final class ConvertImagesetCommand implements Runnable {
  @Override
  public void run() {
    throw NotBuiltYet.error("convert_imageset");
  }
}
