package org.kaffee.solver;

import java.util.List;
import java.util.function.Function;
import org.kaffee.core.Blob;
import org.kaffee.core.DataView;
import org.kaffee.proto.Caffe.BlobShape;
import org.kaffee.proto.Caffe.LayerParameter;
import org.kaffee.proto.Caffe.NetParameter;
import org.kaffee.proto.Caffe.ParamSpec;
import org.kaffee.proto.Caffe.ParameterParameter;
import org.kaffee.proto.Caffe.SolverParameter;

/**
 * Solvers built the one way the product builds them, over a net of Parameter layers only: one
 * layer per given blob, with its lr_mult and decay_mult. The update arithmetic is then tested
 * on chosen values without a constructor that exists for tests.
 */
final class ParameterNets {
  private ParameterNets() {
  }

  /**
   * A solver whose params start with the values (data and diff) of {@code params}; the
   * solver's own blobs then take their places in {@code params}, so the caller sets gradients
   * and reads weights where the solver works.
   */
  static GradientSolver solver(SolverParameter param, List<Blob> params, float[] lrMult, float[] decayMult) {
    return solver(param, params, lrMult, decayMult, p -> (GradientSolver) Solvers.create(p));
  }

  /** The same with the solver made by {@code create} (a rule's subclass under test). */
  static GradientSolver solver(SolverParameter param, List<Blob> params, float[] lrMult, float[] decayMult,
      Function<SolverParameter, GradientSolver> create) {
    NetParameter.Builder net = NetParameter.newBuilder().setName("params");
    for (int i = 0; i < params.size(); i++) {
      BlobShape.Builder shape = BlobShape.newBuilder();
      for (int d : params.get(i).shape()) {
        shape.addDim(d);
      }
      net.addLayer(LayerParameter.newBuilder().setName("p" + i).setType("Parameter").addTop("p" + i)
          .setParameterParam(ParameterParameter.newBuilder().setShape(shape))
          .addParam(ParamSpec.newBuilder().setLrMult(lrMult[i]).setDecayMult(decayMult[i])));
    }
    GradientSolver solver = create.apply(param.toBuilder().setNetParam(net).build());
    List<Blob> own = solver.net().learnableParams();
    for (int i = 0; i < params.size(); i++) {
      copy(params.get(i).dataView(), own.get(i).dataView(), own.get(i).count());
      copy(params.get(i).diffView(), own.get(i).diffView(), own.get(i).count());
      params.set(i, own.get(i));
    }
    return solver;
  }

  private static void copy(DataView from, DataView to, int count) {
    for (int k = 0; k < count; k++) {
      to.set(k, from.get(k));
    }
  }
}
