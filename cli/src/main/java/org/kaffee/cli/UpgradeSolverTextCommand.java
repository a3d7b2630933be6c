package org.kaffee.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.kaffee.io.ProtoFiles;
import org.kaffee.io.SolverUpgrader;
import org.kaffee.log.Glog;
import org.kaffee.proto.Caffe.SolverParameter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code kaffee upgrade_solver_proto_text IN OUT}: Caffe's upgrade_solver_proto_text tool. */
@Command(name = "upgrade_solver_proto_text", mixinStandardHelpOptions = true,
    description = "Upgrade a solver prototxt using the legacy solver_type enum to the "
        + "current 'type' string.")
final class UpgradeSolverTextCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "IN", description = "Solver prototxt to read.")
  Path in;

  @Parameters(index = "1", paramLabel = "OUT", description = "Upgraded prototxt to write.")
  Path out;

  @Override
  public Integer call() {
    SolverParameter solver = ProtoFiles.readText(in, SolverParameter.newBuilder()).build();
    if (SolverUpgrader.needsUpgrade(solver)) {
      solver = SolverUpgrader.upgrade(solver, in.toString());
    } else {
      Glog.error("File already in latest proto format: %s", in);
    }
    ProtoFiles.writeText(out, solver);
    Glog.info("Wrote upgraded SolverParameter text proto to %s", out);
    return 0;
  }
}
