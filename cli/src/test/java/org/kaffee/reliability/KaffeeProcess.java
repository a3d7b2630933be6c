package org.kaffee.reliability;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** `kaffee ARGS` as a separate process on this classpath, run in a directory, its log in a file. */
final class KaffeeProcess {
  private final Process process;
  final Path log;

  private KaffeeProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  static KaffeeProcess start(Path dir, String logName, String... args) throws IOException {
    return startUnder(List.of(), dir, logName, args);
  }

  /** The same, run under a wrapper command (strace ...). */
  static KaffeeProcess startUnder(List<String> wrapper, Path dir, String logName, String... args) throws IOException {
    List<String> command = new ArrayList<>(wrapper);
    command.addAll(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"),
        "--add-opens", "java.base/java.nio=ALL-UNNAMED",
        "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
        "-Xss16m", "org.kaffee.cli.Main"));
    command.addAll(List.of(args));
    return run(new ProcessBuilder(command), dir, logName);
  }

  /**
   * `tools/kaffee ARGS` as users start it (the launcher over this classpath), with
   * {@code javaOptions} for its JVM (KAFFEE_JAVA_OPTS).
   */
  static KaffeeProcess launch(Path dir, String logName, String javaOptions, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of("bash", Path.of("tools/kaffee").toAbsolutePath().toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put("KAFFEE_APP_CLASSPATH", System.getProperty("java.class.path"));
    builder.environment().put("KAFFEE_JAVA_OPTS", javaOptions);
    return run(builder, dir, logName);
  }

  private static KaffeeProcess run(ProcessBuilder builder, Path dir, String logName) throws IOException {
    Path log = dir.resolve(logName);
    Process p = builder.directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    return new KaffeeProcess(p, log);
  }

  long pid() {
    return process.pid();
  }

  boolean alive() {
    return process.isAlive();
  }

  /** Sends a signal by name (HUP, INT) with kill(1). */
  void signal(String name) throws IOException, InterruptedException {
    new ProcessBuilder("kill", "-" + name, Long.toString(pid())).inheritIO().start().waitFor();
  }

  /** SIGKILL: no shutdown hook, no finally block runs. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  /** Waits for the exit; -1 when it is still running after {@code seconds}. */
  int waitFor(long seconds) throws InterruptedException {
    return process.waitFor(seconds, TimeUnit.SECONDS) ? process.exitValue() : -1;
  }

  String output() throws IOException {
    return Files.exists(log) ? Files.readString(log) : "";
  }

  /** Waits until the log contains {@code text}; false on timeout or exit. */
  boolean awaitLog(String text, long seconds) throws IOException, InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < end) {
      if (output().contains(text)) {
        return true;
      }
      if (!process.isAlive()) {
        return output().contains(text);
      }
      Thread.sleep(50);
    }
    return false;
  }
}
