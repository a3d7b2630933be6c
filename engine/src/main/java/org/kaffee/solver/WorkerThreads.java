package org.kaffee.solver;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.kaffee.parallel.AllReduce;
import org.kaffee.parallel.ThreadAllReduce;
import org.kaffee.parallel.WorkerFailedException;
import org.kaffee.proto.Caffe.SolverParameter;

/**
 * {@code kaffee train --workers=N}: N replicas as threads of this JVM over a
 * {@link ThreadAllReduce} (Caffe's {@code --gpu=0,1} for CPU cores). A replica that throws
 * releases the others from the all-reduce, and the run ends with one
 * {@link WorkerFailedException} naming the first worker that failed and why.
 */
public final class WorkerThreads {
  private WorkerThreads() {
  }

  /** Trains to max_iter; returns every replica's solver, rank 0's first. */
  public static List<Solver> train(SolverParameter param, int workers, Path resume,
      Supplier<Solver.Action> actions) {
    return train(param, workers, resume, actions, ResumeData.EXACT);
  }

  /** As above, the data continuing from the snapshot as {@code data} says. */
  public static List<Solver> train(SolverParameter param, int workers, Path resume,
      Supplier<Solver.Action> actions, ResumeData data) {
    ThreadAllReduce.Group group = new ThreadAllReduce.Group(workers);
    Solver[] solvers = new Solver[workers];
    List<Thread> threads = new ArrayList<>();
    for (int rank = 0; rank < workers; rank++) {
      int r = rank;
      Thread t = new Thread(() -> {
        try (AllReduce allReduce = group.member(r)) {
          solvers[r] = DataParallelTrainer.train(param, allReduce, resume, actions, data);
        } catch (Throwable e) {
          group.fail(r, e);
        }
      }, "kaffee-replica-" + rank);
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) {
      joinUninterruptibly(t);
    }
    WorkerFailedException failure = group.failure();
    if (failure != null) {
      throw failure;
    }
    return List.of(solvers);
  }

  private static void joinUninterruptibly(Thread t) {
    boolean interrupted = false;
    while (true) {
      try {
        t.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
