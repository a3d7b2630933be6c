package org.kaffee.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/** A requirement kaffee.require names fails the test when unmet; one it leaves out skips it. */
class RequirementsTest {
  @Test
  void anUnmetRequirementThatIsNamedFailsWithItsMessage() {
    AssertionFailedError e = assertThrows(AssertionFailedError.class,
        () -> new Requirements("browser, graphviz").check("graphviz", false, "dot does not run"));
    assertEquals("requirement 'graphviz' is not met: dot does not run (-Dkaffee.require without 'graphviz'"
        + " turns this failure into a skip)", e.getMessage());
  }

  @Test
  void withoutThePropertyEveryRequirementIsEnforced() {
    assertThrows(AssertionFailedError.class, () -> new Requirements(null).check("tmpfs", false, "no mount"));
  }

  @Test
  void anUnmetRequirementThatIsLeftOutSkips() {
    TestAbortedException e = assertThrows(TestAbortedException.class,
        () -> new Requirements("").check("browser", false, "chromium is not on the PATH"));
    assertTrue(e.getMessage().contains("chromium is not on the PATH"), e.getMessage());
    assertThrows(TestAbortedException.class, () -> new Requirements("tmpfs").check("browser", false, "x"));
  }

  @Test
  void aMetRequirementPasses() {
    new Requirements(null).check("browser", true, "never shown");
  }

  @Test
  void programsAreLookedUpOnThePath() {
    assertTrue(Requirements.onPath("sh").isPresent(), "sh is not on the PATH");
    assertFalse(Requirements.onPath("kaffee-no-such-program").isPresent());
    assertTrue(Requirements.runs("sh", "-c", "exit 0"));
    assertFalse(Requirements.runs("sh", "-c", "exit 3"));
    assertFalse(Requirements.runs("kaffee-no-such-program"));
  }
}
