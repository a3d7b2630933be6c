package org.kaffee.solver;

import org.kaffee.parallel.AllReduce;
import org.kaffee.proto.Caffe.SolverParameter;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/** Adam: first and second moment estimates (history 0..n-1 and n..2n-1), bias-corrected rate. */
public class AdamSolver extends GradientSolver {
  public AdamSolver(SolverParameter param, AllReduce allReduce) {
    super(param, allReduce, 2);
  }

  @Override
  public String type() {
    return "Adam";
  }

  @Override
  protected void computeUpdateValue(int id, float rate) {
    float beta1 = param.getMomentum();
    float beta2 = param.getMomentum2();
    INDArray g = params.get(id).diff();
    INDArray m = history.get(id).data();
    INDArray v = history.get(params.size() + id).data();
    INDArray t = temp.get(id).data();
    INDArray u = update.get(id).data();
    int step = iter + 1;
    // pow(float, int) is computed in double in C++, then the correction stored as float
    float correction = (float) (Math.sqrt(1.0 - Math.pow(beta2, step))
        / (1.0 - Math.pow(beta1, step)));
    axpby(1f - beta1, g, beta1, m);
    t.assign(g).muli(g);
    axpby(1f - beta2, t, beta2, v);
    Transforms.sqrt(t.assign(v), false).addi(param.getDelta());
    t.rdivi(m);
    g.assign(t.muli(rate * lrMults.get(id) * correction));
  }
}
