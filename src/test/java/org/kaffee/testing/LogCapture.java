package org.kaffee.testing;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.kaffee.log.Glog;

/** Runs code with Glog's lines (INFO included) captured, then puts the output and the quiet switch back. */
public final class LogCapture {
  /** Code that may throw, whose log is wanted. */
  public interface Body {
    void run() throws Exception;
  }

  private LogCapture() {
  }

  /** What {@code body} logged. */
  public static String during(Body body) throws Exception {
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    boolean quiet = Glog.isQuiet();
    Glog.setOutput(new PrintStream(log, true, StandardCharsets.UTF_8));
    Glog.setQuiet(false);
    try {
      body.run();
    } finally {
      Glog.setOutput(System.err);
      Glog.setQuiet(quiet);
    }
    return log.toString(StandardCharsets.UTF_8);
  }
}
