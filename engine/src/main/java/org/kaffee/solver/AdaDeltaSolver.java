package org.kaffee.solver;

import org.kaffee.parallel.AllReduce;
import org.kaffee.proto.Caffe.SolverParameter;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/** AdaDelta: running averages of squared gradients (history 0..n-1) and squared updates (n..2n-1). */
public class AdaDeltaSolver extends GradientSolver {
  public AdaDeltaSolver(SolverParameter param, AllReduce allReduce) {
    super(param, allReduce, 2);
  }

  @Override
  public String type() {
    return "AdaDelta";
  }

  @Override
  protected void computeUpdateValue(int id, float rate) {
    float momentum = param.getMomentum();
    float delta = param.getDelta();
    INDArray g = params.get(id).diff();
    INDArray gradHistory = history.get(id).data();
    INDArray updateHistory = history.get(params.size() + id).data();
    INDArray u = update.get(id).data();
    INDArray t = temp.get(id).data();
    // running average of the squared gradient
    u.assign(g).muli(g);
    axpby(1f - momentum, u, momentum, gradHistory);
    // sqrt((update history + delta) / (gradient history + delta))
    u.assign(updateHistory).addi(delta);
    t.assign(gradHistory).addi(delta);
    Transforms.sqrt(u.divi(t), false);
    g.muli(u);
    // running average of the squared update
    u.assign(g).muli(g);
    axpby(1f - momentum, u, momentum, updateHistory);
    g.muli(rate * lrMults.get(id));
  }
}
