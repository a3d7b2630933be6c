package org.kaffee.solver;

import org.kaffee.parallel.AllReduce;
import org.kaffee.proto.Caffe.SolverParameter;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/** AdaGrad: {@code h += g^2; w -= rate g / (sqrt(h) + delta)}. */
public class AdaGradSolver extends GradientSolver {
  public AdaGradSolver(SolverParameter param, AllReduce allReduce) {
    super(withoutMomentum(param, "AdaGrad"), allReduce, 1);
  }

  @Override
  public String type() {
    return "AdaGrad";
  }

  @Override
  protected void computeUpdateValue(int id, float rate) {
    INDArray g = params.get(id).diff();
    INDArray h = history.get(id).data();
    INDArray u = update.get(id).data();
    u.assign(g).muli(g);
    h.addi(u);
    Transforms.sqrt(u.assign(h), false).addi(param.getDelta());
    u.rdivi(g);
    g.assign(u.muli(rate * lrMults.get(id)));
  }
}
