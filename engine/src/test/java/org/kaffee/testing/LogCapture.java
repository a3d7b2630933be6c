package org.kaffee.testing;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.kaffee.log.Glog;

/**
 * Runs code with Glog's lines (INFO included) captured, then puts the log stream and the quiet
 * switch back as they were.
 */
public final class LogCapture {
  /** Code that may throw, whose log is wanted. */
  public interface Body {
    void run() throws Exception;
  }

  /**
   * Code with a result, whose log is wanted. The exception type is a parameter so that a body
   * throwing no checked exception needs no {@code throws} clause at the caller.
   */
  public interface Call<T, E extends Exception> {
    T call() throws E;
  }

  /** A body's result and what it logged. */
  public record Logged<T>(T value, String log) {
  }

  private LogCapture() {
  }

  /** What {@code body} logged. */
  public static String during(Body body) throws Exception {
    return logged(() -> {
      body.run();
      return null;
    }).log();
  }

  /** What {@code body} returned and logged. */
  public static <T, E extends Exception> Logged<T> logged(Call<T, E> body) throws E {
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    PrintStream output = Glog.output();
    boolean quiet = Glog.isQuiet();
    Glog.setOutput(new PrintStream(log, true, StandardCharsets.UTF_8));
    Glog.setQuiet(false);
    try {
      T value = body.call();
      return new Logged<>(value, log.toString(StandardCharsets.UTF_8));
    } finally {
      Glog.setOutput(output);
      Glog.setQuiet(quiet);
    }
  }
}
