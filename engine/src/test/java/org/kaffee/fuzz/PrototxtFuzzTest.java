package org.kaffee.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import org.kaffee.io.NetUpgrader;
import org.kaffee.io.ProtoFiles;
import org.kaffee.io.SolverUpgrader;
import org.kaffee.proto.Caffe.NetParameter;
import org.kaffee.proto.Caffe.SolverParameter;

/** Net and solver prototxts through the text parser and the V0/V1/solver_type upgraders. */
class PrototxtFuzzTest {
  @FuzzTest(maxDuration = FuzzRule.BUDGET)
  void prototxt(byte[] input) throws Exception {
    String text = new String(input, StandardCharsets.UTF_8);
    FuzzRule.check(() -> {
      NetParameter net = ProtoFiles.parseText(text, "fuzz.prototxt", NetParameter.newBuilder()).build();
      NetUpgrader.upgrade(net, "fuzz.prototxt");
    });
    FuzzRule.check(() -> {
      SolverParameter solver = ProtoFiles.parseText(text, "fuzz_solver.prototxt",
          SolverParameter.newBuilder()).build();
      SolverUpgrader.upgrade(solver, "fuzz_solver.prototxt");
    });
  }
}
