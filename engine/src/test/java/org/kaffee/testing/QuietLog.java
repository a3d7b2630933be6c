package org.kaffee.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.kaffee.log.Glog;

/**
 * {@code @ExtendWith(QuietLog.class)}: INFO lines are dropped while the test class runs, and the
 * switch is put back as it was afterwards, so later tests that read the log still see it.
 */
public final class QuietLog implements BeforeAllCallback, AfterAllCallback {
  private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(QuietLog.class);

  @Override
  public void beforeAll(ExtensionContext context) {
    context.getStore(NS).put("quiet", Glog.isQuiet());
    Glog.setQuiet(true);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    Glog.setQuiet(context.getStore(NS).get("quiet", Boolean.class));
  }
}
