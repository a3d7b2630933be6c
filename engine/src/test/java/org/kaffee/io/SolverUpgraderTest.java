package org.kaffee.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kaffee.io.IoTestFiles.resource;
import static org.kaffee.testing.LogCapture.logged;

import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.kaffee.core.KaffeeException;
import org.kaffee.proto.Caffe.SolverParameter;

class SolverUpgraderTest {
  private static SolverParameter parse(String text) {
    return ProtoFiles.parseText(text, "solver.prototxt", SolverParameter.newBuilder()).build();
  }

  @ParameterizedTest
  @CsvSource({"SGD,SGD", "NESTEROV,Nesterov", "ADAGRAD,AdaGrad", "RMSPROP,RMSProp",
      "ADADELTA,AdaDelta", "ADAM,Adam"})
  void solverTypeEnumBecomesTypeString(String legacy, String current) {
    SolverParameter up = logged(() -> SolverUpgrader.upgrade(
        parse("base_lr: 0.1 solver_type: " + legacy), "solver.prototxt")).value();
    assertEquals(parse("base_lr: 0.1 type: \"" + current + "\""), up);
    assertFalse(up.hasSolverType());
  }

  @Test
  void solverFileUpgradesAndLogsAsCaffe() {
    Path in = resource("solver_type.prototxt");
    var run = logged(() -> NetFiles.readSolver(in));
    SolverParameter expected = ProtoFiles.readText(resource("solver_type_upgraded.prototxt"),
        SolverParameter.newBuilder()).build();
    assertEquals(expected, run.value());
    assertTrue(run.log().contains("Attempting to upgrade input file specified using deprecated "
        + "'solver_type' field (enum)': " + in), run.log());
    assertTrue(run.log().contains("Successfully upgraded file specified using deprecated "
        + "'solver_type' field (enum) to 'type' field (string)."), run.log());
    // No defaults are added (no derived snapshot_prefix).
    assertFalse(run.value().hasSnapshotPrefix());
  }

  @Test
  void conflictingTypeAndSolverTypeIsAnErrorNamingTheFile() {
    KaffeeException e = assertThrows(KaffeeException.class, () -> logged(() ->
        SolverUpgrader.upgrade(parse("type: \"Adam\" solver_type: NESTEROV"), "s.prototxt")));
    assertEquals("s.prototxt: failed to upgrade solver: old solver_type field (enum) NESTEROV and "
        + "new type field (string) \"Adam\" conflict; specify only type", e.getMessage());
  }

  @Test
  void agreeingTypeAndSolverTypeKeepsType() {
    SolverParameter up = logged(() -> SolverUpgrader.upgrade(
        parse("type: \"Adam\" solver_type: ADAM"), "s.prototxt")).value();
    assertEquals(parse("type: \"Adam\""), up);
  }

  @Test
  void currentSolverIsUntouched() {
    SolverParameter current = parse("type: \"RMSProp\" rms_decay: 0.9");
    assertFalse(SolverUpgrader.needsUpgrade(current));
    assertSame(current, SolverUpgrader.upgrade(current, "s.prototxt"));
  }
}
