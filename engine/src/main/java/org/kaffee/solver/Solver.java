package org.kaffee.solver;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.kaffee.core.Blob;
import org.kaffee.core.KaffeeException;
import org.kaffee.core.Net;
import org.kaffee.core.Rng;
import org.kaffee.io.WorkDir;
import org.kaffee.log.CppFloat;
import org.kaffee.log.Glog;
import org.kaffee.parallel.AllReduce;
import org.kaffee.proto.Caffe.SolverParameter;
import org.kaffee.proto.KaffeeState.ResumeState;

/**
 * Caffe's Solver: builds the train and test nets from a SolverParameter ({@link SolverNets})
 * and runs {@link #step(int)} exactly as Solver::Step does (tests, iter_size accumulation,
 * smoothed loss, display, update, snapshots). The update itself is {@link GradientSolver}'s
 * and its rules'; snapshots and restores are {@link Snapshots}'.
 *
 * <p>A data-parallel replica (rank r of N, given by its {@link AllReduce}) trains on shard r of
 * every global batch and averages the gradients with the other replicas before each update
 * ({@link ReplicaExchange}); rank 0 alone logs, tests and writes snapshots.
 */
public abstract class Solver {
  /** What a signal asks the solver to do after the current iteration. */
  public enum Action { NONE, STOP, SNAPSHOT }

  protected final SolverParameter param;
  private final Net net;
  private final List<Net> testNets;
  private final AllReduce allReduce;
  /** Null in a single process. */
  private final ReplicaExchange exchange;
  protected int iter;
  protected int currentStep;

  /** Caffe's Solver::Callback: told when an iteration starts and when its gradients are ready. */
  public interface Callback {
    void onStart();

    void onGradients();
  }

  private final List<Callback> callbacks = new ArrayList<>();
  private Supplier<Action> actionFunction = () -> Action.NONE;
  private boolean requestedEarlyExit;
  /** A replica's signal snapshot asked for during a test, taken by every replica after it. */
  private boolean snapshotAfterTest;
  private final SmoothedLoss smoothedLoss;
  private long timerStart;
  private int iterationsLast;
  private long solveStartNanos;
  private int solveStartIter;

  /**
   * Builds the nets a solver file describes, for one replica of a data-parallel run (every
   * replica builds the test nets too, so all draw the same random numbers; rank 0 runs them).
   * Calls no method a subclass may override: the subclasses check their own fields before
   * they call this constructor.
   */
  protected Solver(SolverParameter param, AllReduce allReduce) {
    this.param = param;
    this.allReduce = allReduce;
    Glog.info("Initializing solver from parameters: \n%s", param);
    checkLoopParams(param);
    TestOutputs.check(param);
    this.smoothedLoss = new SmoothedLoss(param.getAverageLoss());
    if (isRoot()) {
      checkSnapshotWritePermissions();
    }
    if (param.getRandomSeed() >= 0) {
      Rng.seed(param.getRandomSeed());
    }
    this.net = SolverNets.train(param, allReduce.dataShard());
    this.testNets = SolverNets.test(param);
    this.exchange = allReduce.size() > 1
        ? new ReplicaExchange(allReduce, net.learnableParams()) : null;
    Glog.info("Solver scaffolding done.");
  }

  /** The solver's type name, as in {@code type: "SGD"}. */
  public abstract String type();

  /** Updates the weights from the accumulated gradients, then advances {@code iter}. */
  public abstract void applyUpdate();

  /** Caffe's ApplyUpdate alone: updates the weights, {@code iter} stays (pycaffe's apply_update). */
  public abstract void updateWeights();

  /** The solver state kept between iterations and in snapshots (momentum, moments). */
  public abstract List<Blob> history();

  // ---- construction ---------------------------------------------------------

  /** Checks the fields the loop reads (the update's are {@link GradientSolver}'s to check). */
  private static void checkLoopParams(SolverParameter param) {
    KaffeeException.check(param.getAverageLoss() >= 1,
        "solver: average_loss must be at least 1, got %d", param.getAverageLoss());
    KaffeeException.check(param.getIterSize() >= 1,
        "solver: iter_size must be at least 1, got %d", param.getIterSize());
  }

  private void checkSnapshotWritePermissions() {
    if (param.getSnapshot() == 0) {
      return;
    }
    KaffeeException.check(param.hasSnapshotPrefix(),
        "solver: snapshot is specified but snapshot_prefix is not");
    Path probe = WorkDir.resolve(Snapshots.filename(param, iter, ".tempfile")).toAbsolutePath();
    try {
      // Unlike Caffe, create the prefix's directory (runs/lenet/...) instead of failing.
      Files.createDirectories(probe.getParent());
      Files.deleteIfExists(Files.createFile(probe));
    } catch (java.io.IOException | RuntimeException e) {
      throw new KaffeeException("cannot write to snapshot prefix '" + param.getSnapshotPrefix()
          + "': " + e.getMessage() + " (is the directory writable?)");
    }
  }

  // ---- solving --------------------------------------------------------------

  /** Adds a callback for every following iteration (pycaffe's add_callback, Caffe's NCCL hook). */
  public void addCallback(Callback callback) {
    callbacks.add(callback);
  }

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
    solve(resumeFile, ResumeData.EXACT);
  }

  /** As {@link #solve(Path)}, the data continuing as {@code data} says. */
  public void solve(Path resumeFile, ResumeData data) {
    Glog.info("Solving %s", net.name());
    Glog.info("Learning Rate Policy: %s", param.getLrPolicy());
    requestedEarlyExit = false;
    if (resumeFile != null) {
      Glog.info("Restoring previous solver status from %s", resumeFile);
      restore(resumeFile, data);
    }
    if (exchange != null) {
      Glog.info("Training with %d data-parallel workers: each update covers batch_size x"
          + " iter_size x %d samples", allReduce.size(), allReduce.size());
      ReplicaExchange.broadcastWeights(allReduce, net.params());
    }
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
      LossCheck.requireFinite(loss, iter, net);
      loss = (float) (ReplicaExchange.sum(allReduce, new double[] {loss})[0] / allReduce.size());
      smoothedLoss.add(loss, iter);
      Glog.info("Iteration %d, loss = %s", iter, CppFloat.format(smoothedLoss.value()));
    }
    if (param.getTestInterval() != 0 && iter % param.getTestInterval() == 0 && isRoot()) {
      testAll();
    }
    if (exchange != null) {
      Glog.info("Gradient all-reduce over %d workers: %.3f ms per iteration", allReduce.size(),
          exchange.millisPerIteration());
    }
    Glog.info("Optimization Done.");
  }

  public void solve() {
    solve(null);
  }

  /** Caffe's Solver::Step: runs {@code iters} iterations. */
  public void step(int iters) {
    int stopIter = iter + iters;
    smoothedLoss.start(iter);
    timerStart = System.nanoTime();
    iterationsLast = iter;
    solveStartNanos = timerStart;
    solveStartIter = iter;
    while (iter < stopIter) {
      net.clearParamDiffs();
      if (param.getTestInterval() != 0 && iter % param.getTestInterval() == 0
          && (iter > 0 || param.getTestInitialization())) {
        if (isRoot()) {
          testAll();
        }
        double[] requests = ReplicaExchange.sum(allReduce,
            new double[] {requestedEarlyExit ? 1 : 0, snapshotAfterTest ? 1 : 0});
        requestedEarlyExit = requests[0] > 0;
        if (requests[1] > 0) {
          snapshotAfterTest = false;
          snapshot();
        }
        if (requestedEarlyExit) {
          break;
        }
      }
      boolean display = param.getDisplay() != 0 && iter % param.getDisplay() == 0;
      net.setDebugInfo(display && param.getDebugInfo());
      callbacks.forEach(Callback::onStart);
      float loss = 0;
      for (int i = 0; i < param.getIterSize(); i++) {
        loss += (float) net.forwardBackward();
      }
      loss /= param.getIterSize();
      LossCheck.requireFinite(loss, iter, net);
      Action request = Action.NONE;
      if (exchange != null) {
        exchange.average(loss, isRoot() ? requestedAction() : Action.NONE);
        loss = exchange.loss();
        request = exchange.action();
      }
      smoothedLoss.add(loss, iter);
      if (display) {
        display();
      }
      callbacks.forEach(Callback::onGradients);
      applyUpdate();
      if (exchange == null) {
        request = requestedAction();
      }
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
        CppFloat.format(lapse), param.getDisplay(), CppFloat.format(smoothedLoss.value()));
    timerStart = now;
    iterationsLast = iter;
    List<Blob> outputs = net.outputBlobs();
    List<String> names = net.outputBlobNames();
    double[] weights = NetOutputs.lossWeights(net);
    float[][] values = new float[outputs.size()][];
    for (int j = 0; j < outputs.size(); j++) {
      values[j] = NetOutputs.values(outputs.get(j));
    }
    ReplicaExchange.averageOutputs(allReduce, values);
    int scoreIndex = 0;
    for (int j = 0; j < outputs.size(); j++) {
      for (float v : values[j]) {
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

  /** Rank 0 logs, tests and writes snapshots (Caffe's root solver). */
  private boolean isRoot() {
    return allReduce.rank() == 0;
  }

  private static String formatDuration(double seconds) {
    long s = Math.round(seconds);
    return String.format("%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
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
    TestOutputs outputs = TestOutputs.of(param, testNet);
    float loss = 0;
    int testIter = param.getTestIter(id);
    for (int i = 0; i < testIter; i++) {
      Action request = requestedAction();
      while (request != Action.NONE) {
        if (request == Action.SNAPSHOT && exchange == null) {
          snapshot();
        } else if (request == Action.SNAPSHOT) {
          // the other replicas are not testing: they join the snapshot after the test
          snapshotAfterTest = true;
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
      outputs.add(testNet.outputBlobs());
    }
    if (requestedEarlyExit) {
      Glog.info("Test interrupted.");
      return;
    }
    if (param.getTestComputeLoss()) {
      loss /= testIter;
      Glog.info("Test loss: %s", CppFloat.format(loss));
    }
    outputs.log(testIter);
  }

  // ---- snapshots ------------------------------------------------------------

  /**
   * Writes the model and the solver state (Caffe's Snapshot) with every replica's data
   * positions and generators; every replica calls it, rank 0 alone writes.
   */
  public void snapshot() {
    ResumeState resume = ResumeStates.gather(this, allReduce);
    if (isRoot()) {
      Snapshots.write(this, resume);
    }
  }

  /**
   * Restores iter, current_step, weights, history, and the data positions and generators
   * (when the file has them), from a .solverstate (or .h5); every replica restores from the
   * same file.
   */
  public void restore(Path stateFile) {
    restore(stateFile, ResumeData.EXACT);
  }

  public void restore(Path stateFile, ResumeData data) {
    Snapshots.restore(this, stateFile, data, allReduce.rank());
  }

  /** The displayed loss and its window (snapshots save and restore it). */
  SmoothedLoss smoothedLoss() {
    return smoothedLoss;
  }

  void setCounters(int iter, int currentStep) {
    this.iter = iter;
    this.currentStep = currentStep;
  }

  /** Closes the test nets and the train net (prefetch threads, sources, activations). */
  public void close() {
    for (Net test : testNets) {
      test.close();
    }
    net.close();
  }

  // ---- accessors ------------------------------------------------------------

  public final Net net() {
    return net;
  }

  /** The test nets, in test_net order (pycaffe's {@code solver.test_nets}). */
  public final List<Net> testNets() {
    return testNets;
  }

  public final int iter() {
    return iter;
  }

  public final int currentStep() {
    return currentStep;
  }

  public final SolverParameter param() {
    return param;
  }
}
