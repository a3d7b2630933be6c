package org.kaffee.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.kaffee.data.DataTransformer;
import org.kaffee.io.NetFiles;
import org.kaffee.io.ProtoFiles;
import org.kaffee.proto.Caffe.Phase;
import org.kaffee.proto.Caffe.SolverParameter;
import org.kaffee.proto.Caffe.TransformationParameter;
import org.kaffee.solver.Solver;
import org.kaffee.solver.Solvers;

/**
 * Binary protobuf files as Kaffee consumes them: a caffemodel copied into a net, a
 * solverstate restored into a solver, a binaryproto mean loaded by the transformer. The
 * first byte picks the kind, the rest is the file.
 */
class BinaryProtoFuzzTest {
  private static final Path DIR = FuzzRule.scratch("proto");
  private static final String NET = "name: 'tiny' layer { name: 'data' type: 'Input' top: 'data'"
      + " input_param { shape { dim: 2 dim: 3 } } }"
      + " layer { name: 'ip' type: 'InnerProduct' bottom: 'data' top: 'ip'"
      + " inner_product_param { num_output: 2 } }";
  private static Solver solver;

  private static Solver solver() {
    if (solver == null) {
      SolverParameter param = ProtoFiles.parseText("net_param { " + NET + " } base_lr: 0.1"
          + " momentum: 0.9 type: 'SGD'", "tiny_solver", SolverParameter.newBuilder()).build();
      solver = Solvers.create(param);
    }
    return solver;
  }

  @FuzzTest(maxDuration = FuzzRule.BUDGET)
  void binaryProto(byte[] input) throws Exception {
    if (input.length == 0) {
      return;
    }
    byte[] body = Arrays.copyOfRange(input, 1, input.length);
    switch (Math.floorMod(input[0], 3)) {
      case 0 -> {
        Path file = FuzzRule.write(DIR.resolve("w.caffemodel"), body);
        FuzzRule.check(() -> solver().net().copyTrainedLayersFrom(NetFiles.readNetBinary(file)));
      }
      case 1 -> {
        Path file = FuzzRule.write(DIR.resolve("s.solverstate"), body);
        FuzzRule.check(() -> solver().restore(file));
      }
      default -> {
        Path file = FuzzRule.write(DIR.resolve("mean.binaryproto"), body);
        TransformationParameter param = TransformationParameter.newBuilder()
            .setMeanFile(file.toString()).build();
        FuzzRule.check(() -> new DataTransformer(param, Phase.TRAIN, new Random(1), "fuzz"));
      }
    }
  }
}
