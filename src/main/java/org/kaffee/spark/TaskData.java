package org.kaffee.spark;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.Iterator;
import org.kaffee.proto.Caffe.SolverParameter;

/**
 * Where a barrier task's training data comes from. Files every executor reads (a database or
 * list on shared storage): the task trains on the solver as it is and reads its slice of each
 * global batch. Rows handed to the task by Spark (a DataFrame's partition): the task first
 * stores them where its net can read them.
 */
interface TaskData<T> extends Serializable {
  /** The solver this task trains with, after storing its {@code rows} under {@code scratch}. */
  SolverParameter prepare(SolverParameter solver, Iterator<T> rows, Path scratch);

  /** True when the rows given to {@link #prepare} are this replica's alone (no slicing). */
  boolean ownRows();

  /** The data are files every executor reads; the partition holds only the rank. */
  record SharedFiles() implements TaskData<Integer> {
    @Override
    public SolverParameter prepare(SolverParameter solver, Iterator<Integer> rows, Path scratch) {
      return solver;
    }

    @Override
    public boolean ownRows() {
      return false;
    }
  }
}
