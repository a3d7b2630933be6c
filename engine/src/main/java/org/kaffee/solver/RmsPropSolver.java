package org.kaffee.solver;

import java.util.List;
import org.kaffee.core.Blob;
import org.kaffee.parallel.AllReduce;
import org.kaffee.core.KaffeeException;
import org.kaffee.proto.Caffe.SolverParameter;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/** RMSProp: {@code h = rms_decay h + (1 - rms_decay) g^2; w -= rate g / (sqrt(h) + delta)}. */
public class RmsPropSolver extends GradientSolver {
  public RmsPropSolver(SolverParameter param, AllReduce allReduce) {
    super(param, allReduce);
  }

  RmsPropSolver(SolverParameter param, List<Blob> params, List<Float> lrMults, List<Float> decayMults) {
    super(param, params, lrMults, decayMults);
  }

  @Override
  public String type() {
    return "RMSProp";
  }

  @Override
  protected void sanityCheck() {
    KaffeeException.check(param.getMomentum() == 0,
        "solver: momentum cannot be used with RMSProp (momentum: %s)", param.getMomentum());
    KaffeeException.check(param.getRmsDecay() >= 0 && param.getRmsDecay() < 1,
        "solver: rms_decay should lie between 0 and 1, got %s", param.getRmsDecay());
  }

  @Override
  protected void computeUpdateValue(int id, float rate) {
    float decay = param.getRmsDecay();
    INDArray g = params.get(id).diff();
    INDArray h = history.get(id).data();
    INDArray u = update.get(id).data();
    u.assign(g).muli(g);
    axpby(1f - decay, u, decay, h);
    Transforms.sqrt(u.assign(h), false).addi(param.getDelta());
    u.rdivi(g);
    g.assign(u.muli(rate * lrMults.get(id)));
  }
}
