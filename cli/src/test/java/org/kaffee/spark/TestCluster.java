package org.kaffee.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.SparkSession;

/**
 * A real Spark standalone cluster on 127.0.0.1 for a test class (tools/spark_cluster.sh: a master
 * and two worker JVMs of one core each, from the build's jars), so executors are JVMs of their
 * own. Starting it fails the test when it cannot run: CI has everything it needs.
 */
public final class TestCluster implements AutoCloseable {
  private static final Path ROOT = Path.of("").toAbsolutePath();
  /**
   * The driver's settings for this cluster: executors load Kaffee from the cluster's jars
   * (cli/target/lib holds the modules' jars), and one application takes both cores.
   */
  public static final Map<String, String> DRIVER_SETTINGS = Map.of(
      "spark.jars", "",
      "spark.executor.memory", "1g",
      "spark.cores.max", "2");

  private final Path state;
  private final String url;

  private TestCluster(Path state, String url) {
    this.state = state;
    this.url = url;
  }

  /** Starts the cluster, its files under {@code state}; returns once both workers registered. */
  public static TestCluster start(Path state) throws Exception {
    return new TestCluster(state, script("start", state).trim());
  }

  /** The master's URL, spark://127.0.0.1:PORT. */
  public String url() {
    return url;
  }

  /** A driver session in this JVM. */
  public SparkSession session(String appName) {
    return SparkSessions.start(url, appName, DRIVER_SETTINGS);
  }

  /** One executor JVM of this cluster, if one runs. */
  public Optional<ProcessHandle> anExecutor() {
    return ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().map(c -> c.contains("CoarseGrainedExecutorBackend")
            && c.contains(state.toString())).orElse(false))
        .findFirst();
  }

  @Override
  public void close() throws Exception {
    script("stop", state);
  }

  private static String script(String command, Path state) throws Exception {
    Process p = new ProcessBuilder("bash", ROOT.resolve("tools/spark_cluster.sh").toString(), command,
        state.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(180, TimeUnit.SECONDS), "spark_cluster.sh " + command + " did not end");
    assertEquals(0, p.exitValue(), "spark_cluster.sh " + command + " failed: " + out);
    return out;
  }
}
