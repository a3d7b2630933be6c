package org.kaffee.cli;

import java.util.ArrayList;
import java.util.List;
import org.kaffee.api.NetLoader;
import picocli.CommandLine.Option;

/** Caffe's {@code --level} and {@code --stage}: which layers' include/exclude rules match. */
final class NetStateOptions {
  @Option(names = {"--level", "-level"}, description = "Optional; network level.")
  int level;

  @Option(names = {"--stage", "-stage"},
      description = "Optional; network stages (not to be confused with phase), separated by ','.")
  String stage = "";

  /** A loader for the net these options select (phase set by the caller). */
  NetLoader applyTo(NetLoader loader) {
    return loader.level(level).stages(stages());
  }

  /** The stages, without empty names. */
  List<String> stages() {
    List<String> out = new ArrayList<>();
    for (String s : stage.split(",")) {
      if (!s.isEmpty()) {
        out.add(s);
      }
    }
    return out;
  }
}
