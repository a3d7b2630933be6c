package org.kaffee.api;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.kaffee.core.Net;
import org.kaffee.proto.Caffe.SolverParameter;
import org.kaffee.solver.Solver;
import org.kaffee.solver.Solvers;

/**
 * A solver driven step by step (pycaffe's {@code caffe.SGDSolver} and friends): its train and test
 * nets as {@link Network}s over the solver's own nets, so values written into them are what the
 * solver trains on.
 */
public final class Trainer {
  private final Solver solver;
  private final Network net;
  private final List<Network> testNets = new ArrayList<>();

  private Trainer(Solver solver) {
    this.solver = solver;
    this.net = new Network(null, solver.net());
    for (Net test : solver.testNets()) {
      testNets.add(new Network(null, test));
    }
  }

  /** The solver a prototxt describes, of the type its {@code type} field names. */
  public static Trainer open(Path solverFile) {
    return open(Solvers.readFile(solverFile.toString()));
  }

  /** The same with the update rule given ("SGD", "Adam", ...), whatever the file says. */
  public static Trainer open(Path solverFile, String type) {
    return open(Solvers.readFile(solverFile.toString()).toBuilder().setType(type).build());
  }

  public static Trainer open(SolverParameter param) {
    return new Trainer(Solvers.create(param));
  }

  public Network net() {
    return net;
  }

  public List<Network> testNets() {
    return testNets;
  }

  public int iter() {
    return solver.iter();
  }

  public String type() {
    return solver.type();
  }

  /** The solver's parameters, serialized (pycaffe's {@code solver.param}). */
  public byte[] param() {
    return solver.param().toByteArray();
  }

  public void step(int iterations) {
    solver.step(iterations);
  }

  /** Trains to max_iter (with the final snapshot and test the prototxt asks for). */
  public void solve() {
    solver.solve();
  }

  /** Restores a .solverstate (or .h5) first, then trains to max_iter. */
  public void solve(Path state) {
    solver.solve(state);
  }

  public void snapshot() {
    solver.snapshot();
  }

  public void restore(Path state) {
    solver.restore(state);
  }

  /** One update from the current gradients; the iteration counter does not move (as in Caffe). */
  public void applyUpdate() {
    solver.updateWeights();
  }

  public void addCallback(Solver.Callback callback) {
    solver.addCallback(callback);
  }

  /** Stops the data layers' prefetch threads and frees the activations. */
  public void close() {
    solver.close();
  }
}
