package org.kaffee.spark;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.kaffee.core.KaffeeException;
import scala.Option;

/**
 * Starts the Spark session Kaffee's distributed commands run in. Settings already given (by
 * spark-submit, or as {@code -Dspark.*} system properties) win; the defaults keep the web UI off,
 * a local master on the loopback address, and leave retries to Kaffee (which resumes from the
 * last snapshot) instead of Spark re-running a barrier stage from the start.
 */
public final class SparkSessions {
  private SparkSessions() {
  }

  public static SparkSession start(String master, String appName) {
    return start(master, appName, Map.of());
  }

  /** As {@link #start(String, String)}, with {@code defaults} for settings not given otherwise. */
  public static SparkSession start(String master, String appName, Map<String, String> defaults) {
    SparkConf conf = new SparkConf();
    defaults.forEach(conf::setIfMissing);
    conf
        .setIfMissing("spark.master", master)
        .setIfMissing("spark.app.name", appName)
        .setIfMissing("spark.ui.enabled", "false")
        .setIfMissing("spark.task.maxFailures", "1")
        .setIfMissing("spark.stage.maxConsecutiveAttempts", "1")
        .setIfMissing("spark.executor.extraJavaOptions", "-Xss16m");
    if (conf.get("spark.master").startsWith("local") || isLoopback(conf.get("spark.master"))) {
      conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1").setIfMissing("spark.driver.host", "127.0.0.1");
    }
    if (!conf.get("spark.master").startsWith("local") && !conf.contains("spark.jars")) {
      // executors on other machines fetch Kaffee and its libraries from the driver
      conf.set("spark.jars", String.join(",", kaffeeJars()));
    }
    return SparkSession.builder().config(conf).getOrCreate();
  }

  /**
   * Runs {@code body} in the active Spark session (an application embedding Kaffee, or a
   * spark-submit) or in one started on {@code master} for it and stopped afterwards.
   */
  static <T> T with(String master, String appName, Function<SparkSession, T> body) {
    Option<SparkSession> active = SparkSession.getActiveSession();
    if (active.isEmpty()) {
      active = SparkSession.getDefaultSession();
    }
    if (active.isDefined() && !active.get().sparkContext().isStopped()) {
      return body.apply(active.get());
    }
    SparkSession spark = start(master, appName);
    try {
      return body.apply(spark);
    } finally {
      spark.stop();
    }
  }

  private static boolean isLoopback(String master) {
    return master.contains("://127.0.0.1") || master.contains("://localhost");
  }

  /** Kaffee's jar and the jars of its lib/ folder, as the build lays them out. */
  static List<String> kaffeeJars() {
    Path jar;
    try {
      jar = Path.of(SparkSessions.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException | NullPointerException e) {
      throw new KaffeeException("cannot locate Kaffee's jar to ship to the Spark executors", e);
    }
    KaffeeException.check(Files.isRegularFile(jar), "Kaffee runs from %s, not from a jar: build it with "
        + "'mvn package' (or use spark-submit with --jars) to run on a Spark cluster", jar);
    List<String> jars = new ArrayList<>();
    jars.add(jar.toString());
    Path lib = jar.resolveSibling("lib");
    if (Files.isDirectory(lib)) {
      try (Stream<Path> files = Files.list(lib)) {
        files.filter(f -> f.toString().endsWith(".jar")).sorted().forEach(f -> jars.add(f.toString()));
      } catch (java.io.IOException e) {
        throw new KaffeeException(lib + ": cannot list Kaffee's libraries: " + e.getMessage(), e);
      }
    }
    return jars;
  }
}
