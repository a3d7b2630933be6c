package org.kaffee.solver;

import org.kaffee.parallel.AllReduce;
import org.kaffee.proto.Caffe.SolverParameter;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Stochastic gradient descent with momentum: {@code h = momentum h + rate g; w -= h}. */
public class SgdSolver extends GradientSolver {
  public SgdSolver(SolverParameter param, AllReduce allReduce) {
    super(param, allReduce, 1);
  }

  @Override
  public String type() {
    return "SGD";
  }

  /** L2 or no decay: the whole update in one pass ({@link MomentumInOnePass}); L1 takes the steps. */
  @Override
  protected boolean updateInOnePass(int id, float rate) {
    return MomentumInOnePass.apply(MomentumInOnePass.Rule.SGD, param, params.get(id), history.get(id), rate,
        lrMults.get(id), decayMults.get(id));
  }

  @Override
  protected void computeUpdateValue(int id, float rate) {
    INDArray g = params.get(id).diff();
    INDArray h = history.get(id).data();
    axpby(rate * lrMults.get(id), g, param.getMomentum(), h);
    copy(h, g);
  }
}
