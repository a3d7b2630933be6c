package org.kaffee.spark;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.Iterator;
import org.kaffee.proto.Caffe.LayerParameter;
import org.kaffee.proto.Caffe.NetParameter;
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

  /**
   * The data are files every executor reads; the partition holds only the rank. Sources given
   * as URIs (hdfs://, s3a://, file:) are copied to the executor's disk first.
   */
  record SharedFiles() implements TaskData<Integer> {
    @Override
    public SolverParameter prepare(SolverParameter solver, Iterator<Integer> rows, Path scratch) {
      boolean remote = TrainNets.trainNet(solver).getLayerList().stream().anyMatch(l -> isUri(
          l.getDataParam().getSource()) || isUri(l.getHdf5DataParam().getSource())
          || isUri(l.getImageDataParam().getSource()));
      if (!remote) {
        return solver;
      }
      return TrainNets.editTrainNet(solver, net -> {
        NetParameter.Builder b = net.toBuilder();
        for (LayerParameter.Builder l : b.getLayerBuilderList()) {
          if (isUri(l.getDataParam().getSource())) {
            l.getDataParamBuilder().setSource(local(l.getDataParam().getSource()));
          }
          if (isUri(l.getHdf5DataParam().getSource())) {
            l.getHdf5DataParamBuilder().setSource(local(l.getHdf5DataParam().getSource()));
          }
          if (isUri(l.getImageDataParam().getSource())) {
            l.getImageDataParamBuilder().setSource(local(l.getImageDataParam().getSource()));
          }
        }
        return b.build();
      });
    }

    private static boolean isUri(String source) {
      return source.contains("://") || source.startsWith("file:");
    }

    private static String local(String uri) {
      return ExecutorFiles.local(uri).toString();
    }

    @Override
    public boolean ownRows() {
      return false;
    }
  }
}
