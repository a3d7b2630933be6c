package org.kaffee.solver;

import org.kaffee.parallel.AllReduce;
import org.kaffee.core.KaffeeException;
import org.kaffee.proto.Caffe.SolverParameter;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/** RMSProp: {@code h = rms_decay h + (1 - rms_decay) g^2; w -= rate g / (sqrt(h) + delta)}. */
public class RmsPropSolver extends GradientSolver {
  public RmsPropSolver(SolverParameter param, AllReduce allReduce) {
    super(checked(param), allReduce, 1);
  }

  @Override
  public String type() {
    return "RMSProp";
  }

  private static SolverParameter checked(SolverParameter param) {
    withoutMomentum(param, "RMSProp");
    KaffeeException.check(param.getRmsDecay() >= 0 && param.getRmsDecay() < 1,
        "solver: rms_decay should lie between 0 and 1, got %s", param.getRmsDecay());
    return param;
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
