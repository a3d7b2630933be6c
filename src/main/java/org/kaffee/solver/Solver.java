package org.kaffee.solver;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.kaffee.core.Blob;
import org.kaffee.core.KaffeeException;
import org.kaffee.core.Layer;
import org.kaffee.core.Net;
import org.kaffee.core.Rng;
import org.kaffee.io.NetFiles;
import org.kaffee.io.ProtoFiles;
import org.kaffee.io.WorkDir;
import org.kaffee.log.CppFloat;
import org.kaffee.log.Glog;
import org.kaffee.proto.Caffe.NetParameter;
import org.kaffee.proto.Caffe.NetState;
import org.kaffee.proto.Caffe.Phase;
import org.kaffee.proto.Caffe.SolverParameter;
import org.kaffee.proto.Caffe.SolverState;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Caffe's Solver and SGDSolver machinery: builds the train and test nets from a
 * SolverParameter, runs {@link #step(int)} exactly as Solver::Step does (tests, iter_size
 * accumulation, smoothed loss, display, update, snapshots) and {@link #applyUpdate()} as
 * SGDSolver::ApplyUpdate (learning rate policy, clipping, normalization, regularization,
 * the rule's update, {@code w -= update}). Each update rule overrides only
 * {@link #computeUpdateValue(int, float)}; all arithmetic is float32 like Caffe's.
 */
public abstract class Solver {
  /** What a signal asks the solver to do after the current iteration. */
  public enum Action { NONE, STOP, SNAPSHOT }

  protected final SolverParameter param;
  private final Net net;
  private final List<Net> testNets = new ArrayList<>();
  /** The distinct learnable params, their lr and decay multipliers. */
  protected final List<Blob> params;
  protected final List<Float> lrMults;
  protected final List<Float> decayMults;
  /** history (one set per param; two for AdaDelta and Adam), and scratch buffers. */
  protected final List<Blob> history = new ArrayList<>();
  protected final List<Blob> update = new ArrayList<>();
  protected final List<Blob> temp = new ArrayList<>();
  protected int iter;
  protected int currentStep;

  private Supplier<Action> actionFunction = () -> Action.NONE;
  private boolean requestedEarlyExit;
  private final List<Float> losses = new ArrayList<>();
  private float smoothedLoss;
  private long timerStart;
  private int iterationsLast;
  private long solveStartNanos;
  private int solveStartIter;

  /** Builds the nets a solver file describes. */
  protected Solver(SolverParameter param) {
    this.param = param;
    Glog.info("Initializing solver from parameters: \n%s", param);
    checkParams();
    checkSnapshotWritePermissions();
    if (param.getRandomSeed() >= 0) {
      Rng.seed(param.getRandomSeed());
    }
    this.net = initTrainNet();
    initTestNets();
    Glog.info("Solver scaffolding done.");
    this.params = net.learnableParams();
    this.lrMults = net.paramsLr();
    this.decayMults = net.paramsWeightDecay();
    preSolve();
  }

  /** A solver over bare param blobs, without nets (for testing the update arithmetic). */
  protected Solver(SolverParameter param, List<Blob> params, List<Float> lrMults,
      List<Float> decayMults) {
    this.param = param;
    checkParams();
    this.net = null;
    this.params = params;
    this.lrMults = lrMults;
    this.decayMults = decayMults;
    preSolve();
  }

  /** The solver's type name, as in {@code type: "SGD"}. */
  public abstract String type();

  /** How many history blobs each param keeps (AdaDelta and Adam keep two). */
  protected int historySets() {
    return 1;
  }

  /** Rule-specific parameter checks (Caffe's constructor_sanity_check). */
  protected void sanityCheck() {
  }

  /** Turns the regularized gradient in {@code params.get(id).diff()} into the update. */
  protected abstract void computeUpdateValue(int id, float rate);

  // ---- construction ---------------------------------------------------------

  private void checkParams() {
    KaffeeException.check(param.getAverageLoss() >= 1,
        "solver: average_loss must be at least 1, got %d", param.getAverageLoss());
    KaffeeException.check(param.getIterSize() >= 1,
        "solver: iter_size must be at least 1, got %d", param.getIterSize());
    String policy = param.getLrPolicy();
    KaffeeException.check(List.of("fixed", "step", "exp", "inv", "multistep", "poly", "sigmoid")
        .contains(policy), "solver: unknown lr_policy '%s' (known: fixed, step, exp, inv, "
        + "multistep, poly, sigmoid)", policy);
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
    sanityCheck();
  }

  private void checkSnapshotWritePermissions() {
    if (param.getSnapshot() == 0) {
      return;
    }
    KaffeeException.check(param.hasSnapshotPrefix(),
        "solver: snapshot is specified but snapshot_prefix is not");
    Path probe = WorkDir.resolve(snapshotFilename(".tempfile")).toAbsolutePath();
    try {
      // Unlike Caffe, create the prefix's directory (runs/lenet/...) instead of failing.
      Files.createDirectories(probe.getParent());
      Files.deleteIfExists(Files.createFile(probe));
    } catch (java.io.IOException | RuntimeException e) {
      throw new KaffeeException("cannot write to snapshot prefix '" + param.getSnapshotPrefix()
          + "': " + e.getMessage() + " (is the directory writable?)");
    }
  }

  private Net initTrainNet() {
    int sources = (param.hasNet() ? 1 : 0) + (param.hasNetParam() ? 1 : 0)
        + (param.hasTrainNet() ? 1 : 0) + (param.hasTrainNetParam() ? 1 : 0);
    String fields = "net, net_param, train_net, train_net_param";
    KaffeeException.check(sources >= 1,
        "solver: must specify a train net using one of these fields: %s", fields);
    KaffeeException.check(sources <= 1,
        "solver: must not contain more than one of these fields specifying a train net: %s",
        fields);
    NetParameter netParam;
    if (param.hasTrainNetParam()) {
      Glog.info("Creating training net specified in train_net_param.");
      netParam = param.getTrainNetParam();
    } else if (param.hasTrainNet()) {
      Glog.info("Creating training net from train_net file: %s", param.getTrainNet());
      netParam = NetFiles.readNetText(WorkDir.resolve(param.getTrainNet()));
    } else if (param.hasNetParam()) {
      Glog.info("Creating training net specified in net_param.");
      netParam = param.getNetParam();
    } else {
      Glog.info("Creating training net from net file: %s", param.getNet());
      netParam = NetFiles.readNetText(WorkDir.resolve(param.getNet()));
    }
    NetState state = NetState.newBuilder().setPhase(Phase.TRAIN)
        .mergeFrom(netParam.getState()).mergeFrom(param.getTrainState()).build();
    Net train = new Net(netParam.toBuilder().setState(state).build());
    for (String list : param.getWeightsList()) {
      loadWeights(train, list);
    }
    return train;
  }

  private void initTestNets() {
    boolean generic = param.hasNetParam() || param.hasNet();
    KaffeeException.check(!(param.hasNetParam() && param.hasNet()),
        "solver: both net_param and net may not be specified");
    int specific = param.getTestNetParamCount() + param.getTestNetCount();
    if (generic) {
      KaffeeException.check(param.getTestIterCount() >= specific,
          "solver: test_iter must be specified for each test network (%d test nets, %d test_iter)",
          specific, param.getTestIterCount());
    } else {
      KaffeeException.check(param.getTestIterCount() == specific,
          "solver: test_iter must be specified for each test network (%d test nets, %d test_iter)",
          specific, param.getTestIterCount());
    }
    int instances = generic ? param.getTestIterCount() : specific;
    if (param.getTestStateCount() > 0) {
      KaffeeException.check(param.getTestStateCount() == instances,
          "solver: test_state must be unspecified or specified once per test net (%d test nets,"
              + " %d test_state)", instances, param.getTestStateCount());
    }
    if (instances > 0) {
      KaffeeException.check(param.getTestInterval() > 0,
          "solver: test_interval must be > 0 when test nets are given, got %d",
          param.getTestInterval());
    }
    List<String> sources = new ArrayList<>();
    List<NetParameter> netParams = new ArrayList<>();
    for (NetParameter p : param.getTestNetParamList()) {
      sources.add("test_net_param");
      netParams.add(p);
    }
    for (String file : param.getTestNetList()) {
      sources.add("test_net file: " + file);
      netParams.add(NetFiles.readNetText(WorkDir.resolve(file)));
    }
    int remaining = instances - netParams.size();
    if (remaining > 0) {
      NetParameter shared = param.hasNetParam() ? param.getNetParam()
          : NetFiles.readNetText(WorkDir.resolve(param.getNet()));
      String source = param.hasNetParam() ? "net_param" : "net file: " + param.getNet();
      for (int i = 0; i < remaining; i++) {
        sources.add(source);
        netParams.add(shared);
      }
    }
    for (int i = 0; i < instances; i++) {
      NetState.Builder state = NetState.newBuilder().setPhase(Phase.TEST)
          .mergeFrom(netParams.get(i).getState());
      if (param.getTestStateCount() > 0) {
        state.mergeFrom(param.getTestState(i));
      }
      Glog.info("Creating test net (#%d) specified by %s", i, sources.get(i));
      Net test = new Net(netParams.get(i).toBuilder().setState(state).build());
      test.setDebugInfo(param.getDebugInfo());
      for (String list : param.getWeightsList()) {
        loadWeights(test, list);
      }
      testNets.add(test);
    }
  }

  /** Copies weights from each caffemodel of a comma-separated list (Caffe's LoadNetWeights). */
  public static void loadWeights(Net target, String commaList) {
    for (String name : commaList.split(",")) {
      String trimmed = name.trim();
      if (trimmed.isEmpty()) {
        continue;
      }
      Glog.info("Finetuning from %s", trimmed);
      target.copyTrainedLayersFrom(NetFiles.readNetBinary(WorkDir.resolve(trimmed)));
    }
  }

  private void preSolve() {
    for (int set = 0; set < historySets(); set++) {
      for (Blob p : params) {
        history.add(new Blob(p.dataType(), p.shape()));
      }
    }
    for (Blob p : params) {
      update.add(new Blob(p.dataType(), p.shape()));
      temp.add(new Blob(p.dataType(), p.shape()));
    }
  }

  // ---- solving --------------------------------------------------------------

  /** Sets what to ask after every iteration (the command line's signal handler). */
  public void setActionFunction(Supplier<Action> function) {
    actionFunction = function;
  }

  private Action requestedAction() {
    Action a = actionFunction.get();
    return a == null ? Action.NONE : a;
  }

  /** Caffe's Solver::Solve: optionally restore, train to max_iter, final snapshot and report. */
  public void solve(Path resumeFile) {
    Glog.info("Solving %s", net.name());
    Glog.info("Learning Rate Policy: %s", param.getLrPolicy());
    requestedEarlyExit = false;
    if (resumeFile != null) {
      Glog.info("Restoring previous solver status from %s", resumeFile);
      restore(resumeFile);
    }
    int startIter = iter;
    step(param.getMaxIter() - iter);
    if (param.getSnapshotAfterTrain()
        && (param.getSnapshot() == 0 || iter % param.getSnapshot() != 0)) {
      snapshot();
    }
    if (requestedEarlyExit) {
      Glog.info("Optimization stopped early.");
      return;
    }
    if (param.getDisplay() != 0 && iter % param.getDisplay() == 0) {
      float loss = (float) net.forward();
      checkFinite(loss);
      updateSmoothedLoss(loss, startIter, param.getAverageLoss());
      Glog.info("Iteration %d, loss = %s", iter, CppFloat.format(smoothedLoss));
    }
    if (param.getTestInterval() != 0 && iter % param.getTestInterval() == 0) {
      testAll();
    }
    Glog.info("Optimization Done.");
  }

  public void solve() {
    solve(null);
  }

  /** Caffe's Solver::Step: runs {@code iters} iterations. */
  public void step(int iters) {
    int startIter = iter;
    int stopIter = iter + iters;
    int averageLoss = param.getAverageLoss();
    losses.clear();
    smoothedLoss = 0;
    timerStart = System.nanoTime();
    iterationsLast = iter;
    solveStartNanos = timerStart;
    solveStartIter = iter;
    while (iter < stopIter) {
      net.clearParamDiffs();
      if (param.getTestInterval() != 0 && iter % param.getTestInterval() == 0
          && (iter > 0 || param.getTestInitialization())) {
        testAll();
        if (requestedEarlyExit) {
          break;
        }
      }
      boolean display = param.getDisplay() != 0 && iter % param.getDisplay() == 0;
      net.setDebugInfo(display && param.getDebugInfo());
      float loss = 0;
      for (int i = 0; i < param.getIterSize(); i++) {
        loss += (float) net.forwardBackward();
      }
      loss /= param.getIterSize();
      checkFinite(loss);
      updateSmoothedLoss(loss, startIter, averageLoss);
      if (display) {
        display();
      }
      applyUpdate();
      Action request = requestedAction();
      if ((param.getSnapshot() != 0 && iter % param.getSnapshot() == 0)
          || request == Action.SNAPSHOT) {
        snapshot();
      }
      if (request == Action.STOP) {
        requestedEarlyExit = true;
        break;
      }
    }
  }

  private void display() {
    long now = System.nanoTime();
    float lapse = (now - timerStart) / 1e9f;
    float perS = (iter - iterationsLast) / (lapse != 0 ? lapse : 1);
    Glog.info("Iteration %d (%s iter/s, %ss/%d iters), loss = %s", iter, CppFloat.format(perS),
        CppFloat.format(lapse), param.getDisplay(), CppFloat.format(smoothedLoss));
    timerStart = now;
    iterationsLast = iter;
    List<Blob> outputs = net.outputBlobs();
    List<String> names = net.outputBlobNames();
    double[] weights = NetOutputs.lossWeights(net);
    int scoreIndex = 0;
    for (int j = 0; j < outputs.size(); j++) {
      float[] values = NetOutputs.values(outputs.get(j));
      for (float v : values) {
        Glog.info("    Train net output #%d: %s = %s%s", scoreIndex++, names.get(j),
            CppFloat.format(v), NetOutputs.lossSuffix((float) weights[j], v));
      }
    }
    if (iter > solveStartIter) {
      double elapsed = (now - solveStartNanos) / 1e9;
      double rate = (iter - solveStartIter) / elapsed;
      int left = Math.max(param.getMaxIter() - iter, 0);
      Glog.info("    Speed: %.2f it/s over %d iterations, ETA %s for %d more", rate,
          iter - solveStartIter, formatDuration(left / rate), left);
    }
  }

  private static String formatDuration(double seconds) {
    long s = Math.round(seconds);
    return String.format("%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
  }

  private void updateSmoothedLoss(float loss, int startIter, int averageLoss) {
    if (losses.size() < averageLoss) {
      losses.add(loss);
      int size = losses.size();
      smoothedLoss = (smoothedLoss * (size - 1) + loss) / size;
    } else {
      int idx = (iter - startIter) % averageLoss;
      smoothedLoss += (loss - losses.get(idx)) / averageLoss;
      losses.set(idx, loss);
    }
  }

  /** Stops training at a non-finite loss, naming the first layer whose output went bad. */
  private void checkFinite(float loss) {
    if (Float.isFinite(loss)) {
      return;
    }
    String culprit = "";
    List<Layer> layers = net.layers();
    outer:
    for (int i = 0; i < layers.size(); i++) {
      List<Blob> tops = net.topVecs().get(i);
      for (int t = 0; t < tops.size(); t++) {
        if (!isFinite(tops.get(t).data())) {
          culprit = String.format("; first non-finite output: top '%s' of layer '%s' (%s)",
              net.blobNames().get(net.topIds(i).get(t)), net.layerNames().get(i),
              layers.get(i).type());
          break outer;
        }
      }
    }
    throw new KaffeeException(String.format("iteration %d: the loss is %s%s. Training stopped"
        + " (lower base_lr or check the data); no snapshot of these weights was written",
        iter, CppFloat.format(loss), culprit));
  }

  private static boolean isFinite(INDArray a) {
    // NaN anywhere makes the sum NaN; an infinite element makes the largest magnitude infinite
    // (an overflowing sum of finite values alone is not a failure).
    return !Double.isNaN(a.sumNumber().doubleValue())
        && Double.isFinite(a.amaxNumber().doubleValue());
  }

  // ---- testing --------------------------------------------------------------

  public void testAll() {
    for (int id = 0; id < testNets.size() && !requestedEarlyExit; id++) {
      test(id);
    }
  }

  private void test(int id) {
    Glog.info("Iteration %d, Testing net (#%d)", iter, id);
    Net testNet = testNets.get(id);
    testNet.shareTrainedLayersWith(net);
    List<Float> scores = new ArrayList<>();
    List<Integer> scoreOutput = new ArrayList<>();
    float loss = 0;
    int testIter = param.getTestIter(id);
    for (int i = 0; i < testIter; i++) {
      Action request = requestedAction();
      while (request != Action.NONE) {
        if (request == Action.SNAPSHOT) {
          snapshot();
        } else if (request == Action.STOP) {
          requestedEarlyExit = true;
        }
        request = requestedAction();
      }
      if (requestedEarlyExit) {
        break;
      }
      float iterLoss = (float) testNet.forward();
      if (param.getTestComputeLoss()) {
        loss += iterLoss;
      }
      List<Blob> result = testNet.outputBlobs();
      int idx = 0;
      for (int j = 0; j < result.size(); j++) {
        for (float v : NetOutputs.values(result.get(j))) {
          if (i == 0) {
            scores.add(v);
            scoreOutput.add(j);
          } else {
            scores.set(idx, scores.get(idx) + v);
          }
          idx++;
        }
      }
    }
    if (requestedEarlyExit) {
      Glog.info("Test interrupted.");
      return;
    }
    if (param.getTestComputeLoss()) {
      loss /= testIter;
      Glog.info("Test loss: %s", CppFloat.format(loss));
    }
    double[] weights = NetOutputs.lossWeights(testNet);
    for (int i = 0; i < scores.size(); i++) {
      int j = scoreOutput.get(i);
      float mean = scores.get(i) / testIter;
      Glog.info("    Test net output #%d: %s = %s%s", i, testNet.outputBlobNames().get(j),
          CppFloat.format(mean), NetOutputs.lossSuffix((float) weights[j], mean));
    }
  }

  // ---- the update -----------------------------------------------------------

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
  public void applyUpdate() {
    float rate = learningRate();
    if (param.getDisplay() != 0 && iter % param.getDisplay() == 0) {
      Glog.info("Iteration %d, lr = %s", iter, CppFloat.format(rate));
    }
    clipGradients();
    for (int id = 0; id < params.size(); id++) {
      normalize(id);
      regularize(id);
      computeUpdateValue(id, rate);
    }
    for (Blob p : params) {
      axpy(-1f, p.diff(), p.data()); // Caffe's Blob::Update: data -= diff
    }
    iter++;
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

  // ---- snapshots ------------------------------------------------------------

  protected String snapshotFilename(String extension) {
    return param.getSnapshotPrefix() + "_iter_" + iter + extension;
  }

  /** Writes the model and the solver state (Caffe's Snapshot), refusing non-finite weights. */
  public void snapshot() {
    for (int i = 0; i < params.size(); i++) {
      if (!isFinite(params.get(i).data())) {
        throw new KaffeeException(String.format("iteration %d: learnable param #%d (%s) holds NaN"
            + " or Inf values; training stopped and the last good snapshot kept", iter, i,
            params.get(i).shapeString()));
      }
    }
    String model;
    if (param.getSnapshotFormat() == SolverParameter.SnapshotFormat.HDF5) {
      model = snapshotFilename(".caffemodel.h5");
      Glog.info("Snapshotting to HDF5 file %s", model);
      SnapshotHdf5.writeModel(WorkDir.resolve(model), net, param.getSnapshotDiff());
      String state = snapshotFilename(".solverstate.h5");
      Glog.info("Snapshotting solver state to HDF5 file %s", state);
      SnapshotHdf5.writeState(WorkDir.resolve(state), iter, model, currentStep, history);
    } else {
      model = snapshotFilename(".caffemodel");
      Glog.info("Snapshotting to binary proto file %s", model);
      NetParameter proto = net.toProto(null, param.getSnapshotDiff());
      ProtoFiles.writeBinary(WorkDir.resolve(model), proto);
      SolverState.Builder state = SolverState.newBuilder().setIter(iter).setLearnedNet(model)
          .setCurrentStep(currentStep);
      for (Blob h : history) {
        state.addHistory(h.toProto(false));
      }
      String stateFile = snapshotFilename(".solverstate");
      Glog.info("Snapshotting solver state to binary proto file %s", stateFile);
      ProtoFiles.writeBinary(WorkDir.resolve(stateFile), state.build());
    }
  }

  /** Restores iter, current_step, weights and history from a .solverstate (or .h5). */
  public void restore(Path stateFile) {
    if (stateFile.getFileName().toString().endsWith(".h5")) {
      SnapshotHdf5.State state = SnapshotHdf5.readState(stateFile);
      iter = state.iter();
      if (state.learnedNet() != null) {
        Path model = locateModel(stateFile, state.learnedNet());
        net.copyTrainedLayersFrom(model.toString().endsWith(".h5")
            ? SnapshotHdf5.readModel(model, net) : NetFiles.readNetBinary(model));
      }
      currentStep = state.currentStep();
      restoreHistory(stateFile, state.history());
      return;
    }
    SolverState state = ProtoFiles.readBinary(stateFile, SolverState.newBuilder(),
        "solverstate (binary SolverState)").build();
    iter = state.getIter();
    if (state.hasLearnedNet()) {
      Path model = locateModel(stateFile, state.getLearnedNet());
      net.copyTrainedLayersFrom(model.toString().endsWith(".h5")
          ? SnapshotHdf5.readModel(model, net) : NetFiles.readNetBinary(model));
    }
    currentStep = state.getCurrentStep();
    restoreHistory(stateFile, state.getHistoryList());
  }

  private void restoreHistory(Path stateFile, List<org.kaffee.proto.Caffe.BlobProto> stored) {
    KaffeeException.check(stored.size() == history.size(),
        "%s: incorrect length of history blobs: the file has %d, the %s solver for this net"
            + " needs %d", stateFile, stored.size(), type(), history.size());
    Glog.info("SGDSolver: restoring history");
    for (int i = 0; i < history.size(); i++) {
      Blob h = history.get(i);
      KaffeeException.check(h.shapeEquals(stored.get(i)),
          "%s: history blob %d has shape %s, the net's param has %s", stateFile, i,
          Blob.shapeString(Blob.protoShape(stored.get(i))), h.shapeString());
      h.fromProto(stored.get(i), false);
    }
  }

  /** The learned_net path as written, or next to the state file when that does not exist. */
  private static Path locateModel(Path stateFile, String learnedNet) {
    Path direct = WorkDir.resolve(learnedNet);
    if (Files.exists(direct)) {
      return direct;
    }
    Path parent = stateFile.toAbsolutePath().getParent();
    Path sibling = parent == null ? direct : parent.resolve(Path.of(learnedNet).getFileName());
    return Files.exists(sibling) ? sibling : direct;
  }

  /** Closes the test nets and the train net (prefetch threads, sources, activations). */
  public void close() {
    for (Net test : testNets) {
      test.close();
    }
    if (net != null) {
      net.close();
    }
  }

  // ---- accessors ------------------------------------------------------------

  public Net net() {
    return net;
  }

  public List<Net> testNets() {
    return testNets;
  }

  public int iter() {
    return iter;
  }

  public int currentStep() {
    return currentStep;
  }

  public SolverParameter param() {
    return param;
  }

  public List<Blob> history() {
    return history;
  }

  public float smoothedLoss() {
    return smoothedLoss;
  }

  /** For tests: sets the iteration counter (the lr policies read it). */
  void setIter(int value) {
    iter = value;
  }

  static String describe(List<Blob> blobs) {
    return Arrays.toString(blobs.stream().map(Blob::shapeString).toArray());
  }
}
