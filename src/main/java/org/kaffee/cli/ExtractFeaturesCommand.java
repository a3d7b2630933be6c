package org.kaffee.cli;

import picocli.CommandLine.Command;

/** {@code kaffee extract_features}. */
@Command(name = "extract_features", mixinStandardHelpOptions = true,
    description = "Not implemented in this build yet.")
final class ExtractFeaturesCommand implements Runnable {
  @Override
  public void run() {
    throw NotBuiltYet.error("extract_features");
  }
}
