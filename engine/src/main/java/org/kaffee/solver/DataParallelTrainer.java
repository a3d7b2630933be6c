package org.kaffee.solver;

import java.nio.file.Path;
import java.util.Random;
import java.util.function.Supplier;
import org.kaffee.core.Rng;
import org.kaffee.log.Glog;
import org.kaffee.parallel.AllReduce;
import org.kaffee.proto.Caffe.SolverParameter;

/**
 * Runs one replica of a data-parallel run, whatever the transport: builds the solver for rank
 * r of N (its data layers read shard r of every global batch), restores the snapshot when
 * resuming (every rank reads the same file) and trains; the solver averages the gradients
 * through the all-reduce before each update and broadcasts rank 0's initial weights. Rank 0
 * alone logs INFO lines, tests and writes snapshots.
 */
public final class DataParallelTrainer {
  private DataParallelTrainer() {
  }

  /**
   * Trains rank {@code allReduce.rank()} to max_iter on the calling thread and returns its
   * solver. {@code resume} may be null; {@code actions} (signal requests) is read on rank 0.
   */
  public static Solver train(SolverParameter param, AllReduce allReduce, Path resume,
      Supplier<Solver.Action> actions) {
    return train(param, allReduce, resume, actions, ResumeData.EXACT);
  }

  /** As above, the data continuing from the snapshot as {@code data} says. */
  public static Solver train(SolverParameter param, AllReduce allReduce, Path resume,
      Supplier<Solver.Action> actions, ResumeData data) {
    boolean muted = allReduce.rank() != 0;
    Glog.setInfoMutedOnThisThread(muted);
    try {
      SolverParameter seeded = withSharedSeed(param, allReduce);
      Rng.ownForThisThread(seeded.getRandomSeed());
      Solver solver = Solvers.create(seeded, allReduce);
      if (allReduce.rank() == 0) {
        solver.setActionFunction(actions);
      }
      solver.solve(resume, data);
      return solver;
    } finally {
      Glog.setInfoMutedOnThisThread(false);
    }
  }

  /**
   * The solver with one random_seed for every rank: data shuffles must agree between the
   * replicas, so an unseeded run takes rank 0's random choice.
   */
  static SolverParameter withSharedSeed(SolverParameter param, AllReduce allReduce) {
    if (param.getRandomSeed() >= 0) {
      return param;
    }
    double[] seed = {allReduce.rank() == 0 ? new Random().nextInt(Integer.MAX_VALUE) : 0};
    allReduce.sum(seed);
    return param.toBuilder().setRandomSeed((long) seed[0]).build();
  }
}
