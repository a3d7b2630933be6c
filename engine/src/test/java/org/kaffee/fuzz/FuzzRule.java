package org.kaffee.fuzz;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.kaffee.core.KaffeeException;
import org.kaffee.log.Glog;

/**
 * The rule every reader keeps under hostile input: it returns a result or throws a
 * {@link KaffeeException} with a message. Anything else (another exception, an
 * OutOfMemoryError, a hang) escapes and is a finding.
 */
final class FuzzRule {
  /** How long bench/fuzz.sh fuzzes each target (JAZZER_FUZZ=1); replay ignores it. */
  static final String BUDGET = "2m";

  private FuzzRule() {
  }

  /** Something that reads an input. */
  interface Reading {
    void run() throws Exception;
  }

  static void check(Reading reading) throws Exception {
    PrintStream log = Glog.output();
    Glog.setOutput(new PrintStream(OutputStream.nullOutputStream()));
    try {
      reading.run();
    } catch (KaffeeException e) {
      String message = e.getMessage();
      if (message == null || message.isBlank()) {
        throw new AssertionError("KaffeeException without a message", e);
      }
    } finally {
      Glog.setOutput(log);
    }
  }

  /** A scratch directory per fuzz class, reused for every input. */
  static Path scratch(String name) {
    try {
      Path shm = Path.of("/dev/shm");
      Path base = Files.isWritable(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
      Path dir = Files.createTempDirectory(base, "kaffee-fuzz-" + name);
      dir.toFile().deleteOnExit();
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Path write(Path file, byte[] bytes) throws IOException {
    Files.createDirectories(file.getParent());
    return Files.write(file, bytes);
  }
}
