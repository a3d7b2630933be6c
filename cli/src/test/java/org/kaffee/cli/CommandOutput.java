package org.kaffee.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.kaffee.io.WorkDir;
import org.kaffee.log.Glog;

/**
 * Runs commands in a working directory and keeps what they log and print on stderr; closing it
 * puts the working directory, the log stream, its quiet switch and stderr back as they were.
 */
final class CommandOutput implements AutoCloseable {
  private final Path savedWorkDir = WorkDir.get();
  private final PrintStream savedLog = Glog.output();
  private final boolean savedQuiet = Glog.isQuiet();
  private final PrintStream savedErr = System.err;
  private final ByteArrayOutputStream log = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  CommandOutput(Path workDir) {
    WorkDir.set(workDir);
    Glog.setOutput(new PrintStream(log, true, StandardCharsets.UTF_8));
    Glog.setQuiet(false);
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  /** Runs {@code kaffee ARGS} and returns its exit code. */
  int run(String... args) {
    return Main.run(args);
  }

  /** The log lines' messages, without glog's prefix; forgets them. */
  List<String> takeMessages() {
    List<String> out = new ArrayList<>();
    for (String line : log.toString(StandardCharsets.UTF_8).split("\n")) {
      int k = line.indexOf("] ");
      if (k >= 0) {
        out.add(line.substring(k + 2));
      }
    }
    log.reset();
    return out;
  }

  String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    WorkDir.set(savedWorkDir);
    Glog.setOutput(savedLog);
    Glog.setQuiet(savedQuiet);
    System.setErr(savedErr);
  }
}
