package org.kaffee.solver;

import java.util.ArrayList;
import java.util.List;
import org.kaffee.core.Blob;
import org.kaffee.core.KaffeeException;
import org.kaffee.log.CppFloat;
import org.kaffee.log.Glog;
import org.kaffee.parallel.AllReduce;
import org.kaffee.proto.Caffe.SolverParameter;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The update arithmetic every rule shares (Caffe's SGDSolver): the learning rate policy, then
 * {@link #applyUpdate()} clips the gradients, normalizes by iter_size, regularizes, lets the
 * rule turn each gradient into its update ({@link #computeUpdateValue(int, float)}) and
 * subtracts it. All arithmetic is float32 like Caffe's.
 */
public abstract class GradientSolver extends Solver {
  private static final List<String> POLICIES =
      List.of("fixed", "step", "exp", "inv", "multistep", "poly", "sigmoid");

  /** The distinct learnable params, their lr and decay multipliers. */
  protected final List<Blob> params;
  protected final List<Float> lrMults;
  protected final List<Float> decayMults;
  /** history (one set per param; two for AdaDelta and Adam), and scratch buffers. */
  protected final List<Blob> history = new ArrayList<>();
  protected final List<Blob> update = new ArrayList<>();
  protected final List<Blob> temp = new ArrayList<>();

  /**
   * Builds the nets a solver file describes, for one replica (see {@link Solver}), with
   * {@code historySets} history blobs per param (AdaDelta and Adam keep two). A rule checks its
   * own fields (Caffe's constructor_sanity_check) in the argument it passes here, so that no
   * constructor calls a method a subclass overrides.
   */
  protected GradientSolver(SolverParameter param, AllReduce allReduce, int historySets) {
    super(checkUpdateParams(param), allReduce);
    this.params = net().learnableParams();
    this.lrMults = net().paramsLr();
    this.decayMults = net().paramsWeightDecay();
    preSolve(historySets);
  }

  /** Turns the regularized gradient in {@code params.get(id).diff()} into the update. */
  protected abstract void computeUpdateValue(int id, float rate);

  /**
   * Normalizes, regularizes, computes and applies param {@code id}'s update in one pass, to the
   * bit what the separate steps give, where the rule can; false leaves the param to the steps.
   */
  protected boolean updateInOnePass(int id, float rate) {
    return false;
  }

  private static SolverParameter checkUpdateParams(SolverParameter param) {
    String policy = param.getLrPolicy();
    KaffeeException.check(POLICIES.contains(policy), "solver: unknown lr_policy '%s' (known: "
        + "fixed, step, exp, inv, multistep, poly, sigmoid)", policy);
    if (policy.equals("step") || policy.equals("sigmoid")) {
      KaffeeException.check(param.getStepsize() > 0,
          "solver: lr_policy '%s' needs stepsize > 0, got %d", policy, param.getStepsize());
    }
    if (!policy.equals("fixed") && !policy.equals("poly")) {
      KaffeeException.check(param.getGamma() >= 0, "solver: gamma must be >= 0, got %s",
          CppFloat.format(param.getGamma()));
    }
    String reg = param.getRegularizationType();
    KaffeeException.check(reg.equals("L2") || reg.equals("L1"),
        "solver: unknown regularization_type '%s' (known: L2, L1)", reg);
    return param;
  }

  /** The momentum check AdaGrad and RMSProp share: they have no momentum term. */
  static SolverParameter withoutMomentum(SolverParameter param, String rule) {
    KaffeeException.check(param.getMomentum() == 0,
        "solver: momentum cannot be used with %s (momentum: %s)", rule, param.getMomentum());
    return param;
  }

  private void preSolve(int historySets) {
    for (int set = 0; set < historySets; set++) {
      for (Blob p : params) {
        history.add(new Blob(p.dataType(), p.shape()));
      }
    }
    for (Blob p : params) {
      update.add(new Blob(p.dataType(), p.shape()));
      temp.add(new Blob(p.dataType(), p.shape()));
    }
  }

  @Override
  public List<Blob> history() {
    return history;
  }

  /** Caffe's SGDSolver::GetLearningRate (float arithmetic; multistep advances current_step). */
  public float learningRate() {
    float baseLr = param.getBaseLr();
    float gamma = param.getGamma();
    switch (param.getLrPolicy()) {
      case "fixed":
        return baseLr;
      case "step":
        currentStep = iter / param.getStepsize();
        return (float) (baseLr * Math.pow(gamma, currentStep));
      case "exp":
        return (float) (baseLr * Math.pow(gamma, iter));
      case "inv":
        return baseLr * (float) Math.pow(1f + gamma * iter, -param.getPower());
      case "multistep":
        if (currentStep < param.getStepvalueCount() && iter >= param.getStepvalue(currentStep)) {
          currentStep++;
          Glog.info("MultiStep Status: Iteration %d, step = %d", iter, currentStep);
        }
        return (float) (baseLr * Math.pow(gamma, currentStep));
      case "poly":
        return baseLr * (float) Math.pow(1f - ((float) iter / (float) param.getMaxIter()),
            param.getPower());
      case "sigmoid":
        return baseLr * (1f / (1f + (float) Math.exp(-gamma * ((float) iter
            - (float) param.getStepsize()))));
      default:
        throw new KaffeeException("solver: unknown lr_policy '" + param.getLrPolicy() + "'");
    }
  }

  /** Caffe's SGDSolver::ApplyUpdate, then {@code iter++}. */
  @Override
  public void applyUpdate() {
    updateWeights();
    iter++;
  }

  /** Caffe's SGDSolver::ApplyUpdate. */
  @Override
  public void updateWeights() {
    float rate = learningRate();
    if (param.getDisplay() != 0 && iter % param.getDisplay() == 0) {
      Glog.info("Iteration %d, lr = %s", iter, CppFloat.format(rate));
    }
    clipGradients();
    boolean[] applied = new boolean[params.size()];
    for (int id = 0; id < params.size(); id++) {
      applied[id] = updateInOnePass(id, rate);
      if (!applied[id]) {
        normalize(id);
        regularize(id);
        computeUpdateValue(id, rate);
      }
    }
    for (int id = 0; id < params.size(); id++) {
      if (!applied[id]) {
        axpy(-1f, params.get(id).diff(), params.get(id).data()); // Caffe's Blob::Update: data -= diff
      }
    }
  }

  private void clipGradients() {
    float clip = param.getClipGradients();
    if (clip < 0) {
      return;
    }
    float sumsq = 0;
    for (Blob p : params) {
      sumsq += (float) Nd4j.getBlasWrapper().level1().dot(p.count(), 1, p.diff(), p.diff());
    }
    float norm = (float) Math.sqrt(sumsq);
    if (norm > clip) {
      float scale = clip / norm;
      Glog.info("Gradient clipping: scaling down gradients (L2 norm %s > %s) by scale factor %s",
          CppFloat.format(norm), CppFloat.format(clip), CppFloat.format(scale));
      for (Blob p : params) {
        scal(scale, p.diff());
      }
    }
  }

  private void normalize(int id) {
    if (param.getIterSize() == 1) {
      return;
    }
    scal(1f / param.getIterSize(), params.get(id).diff());
  }

  private void regularize(int id) {
    float localDecay = param.getWeightDecay() * decayMults.get(id);
    if (localDecay == 0) {
      return;
    }
    Blob p = params.get(id);
    if (param.getRegularizationType().equals("L1")) {
      INDArray t = temp.get(id).data();
      Transforms.sign(t.assign(p.data()), false);
      axpy(localDecay, t, p.diff());
    } else {
      axpy(localDecay, p.data(), p.diff());
    }
  }

  /** {@code y += a * x} (BLAS axpy, in place). */
  protected static void axpy(float a, INDArray x, INDArray y) {
    Nd4j.getBlasWrapper().level1().axpy(y.length(), a, x, y);
  }

  /** {@code x *= a} (BLAS scal, in place). */
  protected static void scal(float a, INDArray x) {
    Nd4j.getBlasWrapper().level1().scal(x.length(), a, x);
  }

  /** {@code y = x} (BLAS copy). */
  protected static void copy(INDArray x, INDArray y) {
    Nd4j.getBlasWrapper().level1().copy(x, y);
  }

  /** {@code y = a * x + b * y} in place (Caffe's caffe_cpu_axpby: scal then axpy). */
  protected static void axpby(float a, INDArray x, float b, INDArray y) {
    scal(b, y);
    axpy(a, x, y);
  }
}
