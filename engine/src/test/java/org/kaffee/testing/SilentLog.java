package org.kaffee.testing;

import java.io.OutputStream;
import java.io.PrintStream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.kaffee.log.Glog;

/**
 * {@code @ExtendWith(SilentLog.class)}: every log line, warnings and errors too, goes nowhere
 * during each test, for tests that open nets by the thousand or provoke errors on purpose; the
 * log's stream is put back after each test. {@link QuietLog} drops only INFO lines.
 */
public final class SilentLog implements BeforeEachCallback, AfterEachCallback {
  private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(SilentLog.class);

  @Override
  public void beforeEach(ExtensionContext context) {
    context.getStore(NS).put("output", Glog.output());
    Glog.setOutput(new PrintStream(OutputStream.nullOutputStream()));
  }

  @Override
  public void afterEach(ExtensionContext context) {
    Glog.setOutput(context.getStore(NS).get("output", PrintStream.class));
  }
}
