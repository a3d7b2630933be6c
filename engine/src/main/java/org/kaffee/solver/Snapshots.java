package org.kaffee.solver;

import com.google.protobuf.ByteString;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.kaffee.core.Blob;
import org.kaffee.core.KaffeeException;
import org.kaffee.core.Net;
import org.kaffee.io.AtomicFiles;
import org.kaffee.io.NetFiles;
import org.kaffee.io.ProtoFiles;
import org.kaffee.io.WorkDir;
import org.kaffee.log.Glog;
import org.kaffee.proto.Caffe.BlobProto;
import org.kaffee.proto.Caffe.SolverParameter;
import org.kaffee.proto.Caffe.SolverState;
import org.kaffee.proto.KaffeeState.ResumeState;

/**
 * A solver's snapshots (Caffe's Solver::Snapshot and Restore with SGDSolver's solver-state
 * part): the model as {@code PREFIX_iter_N.caffemodel} and iter, current_step and the history
 * blobs as {@code .solverstate}, in binary proto or HDF5 ({@link SnapshotHdf5}); the state also
 * carries Kaffee's {@link ResumeStates} where Caffe does not look.
 */
final class Snapshots {
  private Snapshots() {
  }

  static String filename(SolverParameter param, int iter, String extension) {
    return param.getSnapshotPrefix() + "_iter_" + iter + extension;
  }

  /** Writes the model and the solver state with {@code resume}, refusing non-finite weights. */
  static void write(Solver solver, ResumeState resume) {
    SolverParameter param = solver.param();
    int iter = solver.iter();
    List<Blob> params = solver.net().learnableParams();
    for (int i = 0; i < params.size(); i++) {
      if (!LossCheck.isFinite(params.get(i).data())) {
        throw new KaffeeException(String.format("iteration %d: learnable param #%d (%s) holds NaN"
            + " or Inf values; training stopped and the last good snapshot kept", iter, i,
            params.get(i).shapeString()));
      }
    }
    // Both files are written before either is renamed into place, and the solverstate, which
    // names its caffemodel, is renamed last: a failed write leaves neither, and a kill between
    // the renames leaves a caffemodel without its state, never a state without its model, so
    // the newest solverstate always pairs with a complete caffemodel of its own iteration.
    Net net = solver.net();
    AtomicFiles files = new AtomicFiles();
    if (param.getSnapshotFormat() == SolverParameter.SnapshotFormat.HDF5) {
      String model = filename(param, iter, ".caffemodel.h5");
      Glog.info("Snapshotting to HDF5 file %s", model);
      files.write(WorkDir.resolve(model), SnapshotHdf5.model(net, param.getSnapshotDiff()));
      String state = filename(param, iter, ".solverstate.h5");
      Glog.info("Snapshotting solver state to HDF5 file %s", state);
      files.write(WorkDir.resolve(state), SnapshotHdf5.state(iter, model, solver.currentStep(),
          solver.history(), resume.toByteArray()));
    } else {
      String model = filename(param, iter, ".caffemodel");
      Glog.info("Snapshotting to binary proto file %s", model);
      files.write(WorkDir.resolve(model), ProtoFiles.binary(net.toProto(null, param.getSnapshotDiff())));
      SolverState.Builder state = SolverState.newBuilder().setIter(iter).setLearnedNet(model)
          .setCurrentStep(solver.currentStep());
      for (Blob h : solver.history()) {
        state.addHistory(h.toProto(false));
      }
      ResumeStates.attach(state, resume);
      String stateFile = filename(param, iter, ".solverstate");
      Glog.info("Snapshotting solver state to binary proto file %s", stateFile);
      files.write(WorkDir.resolve(stateFile), ProtoFiles.binary(state.build()));
    }
    files.commit();
  }

  /**
   * Restores iter, current_step, weights and history from a .solverstate (or .h5), and with
   * {@link ResumeData#EXACT} the data positions and generators of replica {@code rank}.
   */
  static void restore(Solver solver, Path stateFile, ResumeData data, int rank) {
    Net net = solver.net();
    ResumeState resume;
    if (stateFile.getFileName().toString().endsWith(".h5")) {
      SnapshotHdf5.State state = SnapshotHdf5.readState(stateFile);
      if (state.learnedNet() != null) {
        loadModel(net, locateModel(stateFile, state.learnedNet()));
      }
      solver.setCounters(state.iter(), state.currentStep());
      restoreHistory(solver, stateFile, state.history());
      resume = state.resume() == null ? null
          : ResumeStates.parse(ByteString.copyFrom(state.resume()), stateFile);
    } else {
      SolverState state = ProtoFiles.readBinary(stateFile, SolverState.newBuilder(),
          "solverstate (binary SolverState)").build();
      if (state.hasLearnedNet()) {
        loadModel(net, locateModel(stateFile, state.getLearnedNet()));
      }
      solver.setCounters(state.getIter(), state.getCurrentStep());
      restoreHistory(solver, stateFile, state.getHistoryList());
      resume = ResumeStates.of(state, stateFile).orElse(null);
    }
    if (data == ResumeData.RESTART) {
      Glog.info("--resume_data=restart: the data layers start over at their first record, as in Caffe");
    } else if (resume == null) {
      Glog.info("%s carries no data positions (Caffe's solverstate): the data layers start over at their"
          + " first record", stateFile);
    } else {
      ResumeStates.apply(solver, rank, resume, stateFile);
    }
  }

  private static void loadModel(Net net, Path model) {
    net.copyTrainedLayersFrom(model.toString().endsWith(".h5")
        ? SnapshotHdf5.readModel(model, net) : NetFiles.readNetBinary(model));
  }

  private static void restoreHistory(Solver solver, Path stateFile, List<BlobProto> stored) {
    List<Blob> history = solver.history();
    KaffeeException.check(stored.size() == history.size(),
        "%s: incorrect length of history blobs: the file has %d, the %s solver for this net"
            + " needs %d", stateFile, stored.size(), solver.type(), history.size());
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
}
