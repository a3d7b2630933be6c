package org.kaffee.solver;

import org.kaffee.parallel.AllReduce;
import org.kaffee.proto.Caffe.SolverParameter;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Nesterov's accelerated gradient: the update steps back by the old history and over by the new. */
public class NesterovSolver extends GradientSolver {
  public NesterovSolver(SolverParameter param, AllReduce allReduce) {
    super(param, allReduce, 1);
  }

  @Override
  public String type() {
    return "Nesterov";
  }

  /** L2 or no decay: the whole update in one pass ({@link MomentumInOnePass}); L1 takes the steps. */
  @Override
  protected boolean updateInOnePass(int id, float rate) {
    return MomentumInOnePass.apply(MomentumInOnePass.Rule.NESTEROV, param, params.get(id), history.get(id), rate,
        lrMults.get(id), decayMults.get(id));
  }

  @Override
  protected void computeUpdateValue(int id, float rate) {
    float momentum = param.getMomentum();
    INDArray g = params.get(id).diff();
    INDArray h = history.get(id).data();
    INDArray u = update.get(id).data();
    u.assign(h);
    axpby(rate * lrMults.get(id), g, momentum, h);
    axpby(1f + momentum, h, -momentum, u);
    copy(u, g);
  }
}
