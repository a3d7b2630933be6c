package org.kaffee.testing;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * What a test needs from the machine beyond Java: a browser, Graphviz, a tmpfs it may mount.
 * The system property {@code kaffee.require} (Maven's property of that name, passed on by
 * surefire; {@code browser,tmpfs,graphviz} unless overridden) names the requirements whose
 * absence fails the test, so that CI cannot count a missing tool as a quiet skip. A developer
 * who runs with {@code -Dkaffee.require=} gets a skip with the same message instead. Without the
 * property at all (a test started outside Maven) every requirement is enforced.
 */
public final class Requirements {
  public static final String BROWSER = "browser";
  public static final String TMPFS = "tmpfs";
  public static final String GRAPHVIZ = "graphviz";
  /** Not enforced by default: the JDK decodes JPEGs with the system's libjpeg-turbo (Debian's OpenJDK). */
  public static final String SYSTEM_LIBJPEG = "libjpeg";

  private final Set<String> enforced;
  private final boolean enforceAll;

  /** {@code property}: a comma-separated list of requirement names; null enforces all. */
  Requirements(String property) {
    this.enforceAll = property == null;
    this.enforced = property == null ? Set.of() : Arrays.stream(property.split(","))
        .map(String::strip).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
  }

  /** Fails, or skips when {@code kaffee.require} leaves {@code name} out, unless {@code met}. */
  public static void require(String name, boolean met, String whatIsMissing) {
    new Requirements(System.getProperty("kaffee.require")).check(name, met, whatIsMissing);
  }

  void check(String name, boolean met, String whatIsMissing) {
    if (met) {
      return;
    }
    if (enforceAll || enforced.contains(name)) {
      Assertions.fail("requirement '" + name + "' is not met: " + whatIsMissing
          + " (-Dkaffee.require without '" + name + "' turns this failure into a skip)");
    }
    Assumptions.abort("skipped: requirement '" + name + "' is not met and -Dkaffee.require leaves it out: "
        + whatIsMissing);
  }

  /** An executable named {@code program} on the PATH, as {@code command -v} finds it. */
  public static Optional<Path> onPath(String program) {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    return Arrays.stream(path.split(File.pathSeparator)).filter(dir -> !dir.isEmpty())
        .map(dir -> Path.of(dir, program)).filter(Files::isExecutable).findFirst();
  }

  /** Whether {@code command} starts and exits with 0 (its output is dropped). */
  public static boolean runs(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      return p.waitFor() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Requires Graphviz's {@code dot} (.ci/run installs the graphviz package). */
  public static void requireGraphviz() {
    require(GRAPHVIZ, runs("dot", "-V"), "Graphviz's dot does not run (apt-get install graphviz; .ci/run installs it)");
  }
}
