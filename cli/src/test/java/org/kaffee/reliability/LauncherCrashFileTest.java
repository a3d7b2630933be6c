package org.kaffee.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A JVM that dies of a fatal signal under tools/kaffee writes its hs_err report to the temp
 * directory ($TMPDIR), not to the user's working directory, where the SIGBUS in native LMDB
 * left one. The signal is sent with kill(1), as the kernel sent SIGBUS for the truncated file.
 */
class LauncherCrashFileTest {
  @TempDir
  Path dir;

  @Test
  void aFatalErrorReportGoesToTheTempDirectory() throws Exception {
    Path work = Files.createDirectories(dir.resolve("work"));
    Path temp = Files.createDirectories(dir.resolve("temp"));
    Path log = dir.resolve("serve.log");
    ProcessBuilder pb = new ProcessBuilder("bash", Path.of("tools/kaffee").toAbsolutePath().toString(),
        "serve", "--runs", ".", "--port", "0").directory(work.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    pb.environment().put("KAFFEE_APP_CLASSPATH", System.getProperty("java.class.path"));
    pb.environment().put("TMPDIR", temp.toString());
    Process p = pb.start();
    try {
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (!Files.readString(log).contains("Serving") && p.isAlive() && System.nanoTime() < end) {
        Thread.sleep(100);
      }
      assertTrue(Files.readString(log).contains("Serving"), Files.readString(log));
      // the launcher execs java: the process is the JVM
      new ProcessBuilder("kill", "-BUS", Long.toString(p.pid())).inheritIO().start().waitFor();
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the JVM did not die of SIGBUS");
    } finally {
      p.destroyForcibly();
    }
    assertEquals(134, p.exitValue(), Files.readString(log));
    assertTrue(Files.exists(temp.resolve("kaffee_hs_err_pid" + p.pid() + ".log")), Files.readString(log));
    try (Stream<Path> left = Files.list(work)) {
      assertEquals(0, left.count(), "files left in the working directory");
    }
  }
}
