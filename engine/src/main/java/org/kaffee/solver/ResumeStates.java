package org.kaffee.solver;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnknownFieldSet;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.kaffee.core.KaffeeException;
import org.kaffee.core.Layer;
import org.kaffee.core.Net;
import org.kaffee.core.ResumableState;
import org.kaffee.core.Rng;
import org.kaffee.log.Glog;
import org.kaffee.parallel.AllReduce;
import org.kaffee.proto.Caffe.SolverState;
import org.kaffee.proto.KaffeeState.LayerState;
import org.kaffee.proto.KaffeeState.NetState;
import org.kaffee.proto.KaffeeState.ReplicaState;
import org.kaffee.proto.KaffeeState.ResumeState;

/**
 * What a solverstate carries beyond Caffe's fields so that a resumed run is the uninterrupted
 * one: every replica's generator and the state of every {@link ResumableState} layer of its
 * nets, by net and layer name, and the smoothed loss's window ({@code proto/kaffee_state.proto}).
 */
final class ResumeStates {
  /**
   * The SolverState field that carries the ResumeState bytes. caffe.proto's SolverState uses
   * 1 to 4, and no Caffe fork numbers a field anywhere near this; it is also outside protobuf's
   * reserved 19000-19999. Caffe's parser keeps it as an unknown field and ignores it.
   */
  static final int SOLVER_STATE_FIELD = 20261206;
  /** The dataset of a .solverstate.h5 that holds the same bytes. */
  static final String HDF5_DATASET = "kaffee_resume_state";

  private ResumeStates() {
  }

  /** Every rank's state, gathered (all ranks call this together); rank 0 writes it. */
  static ResumeState gather(Solver solver, AllReduce allReduce) {
    ReplicaState mine = replica(solver, allReduce.rank());
    ResumeState.Builder all = ResumeState.newBuilder().setLosses(solver.smoothedLoss().save());
    if (allReduce.size() == 1) {
      return all.addReplica(mine).build();
    }
    for (byte[] bytes : allReduce.gather(mine.toByteArray())) {
      try {
        all.addReplica(ReplicaState.parseFrom(bytes));
      } catch (InvalidProtocolBufferException e) {
        throw new KaffeeException("a replica's resume state arrived damaged: " + e.getMessage(), e);
      }
    }
    return all.build();
  }

  /** This thread's generator and its nets' layer states. */
  static ReplicaState replica(Solver solver, int rank) {
    ReplicaState.Builder b = ReplicaState.newBuilder().setRank(rank).setGlobal(Rng.global().state())
        .addNet(net("train", solver.net()));
    for (int i = 0; i < solver.testNets().size(); i++) {
      b.addNet(net("test#" + i, solver.testNets().get(i)));
    }
    return b.build();
  }

  private static NetState net(String label, Net net) {
    NetState.Builder b = NetState.newBuilder().setNet(label);
    for (int i = 0; i < net.layers().size(); i++) {
      if (net.layers().get(i) instanceof ResumableState layer) {
        b.addLayer(layer.saveState().toBuilder().setLayer(net.layerNames().get(i)));
      }
    }
    return b.build();
  }

  /** Restores rank's entry (rank 0's when the snapshot had fewer replicas). */
  static void apply(Solver solver, int rank, ResumeState state, Path file) {
    KaffeeException.check(state.getReplicaCount() > 0, "%s: the resume state holds no replica", file);
    if (rank >= state.getReplicaCount()) {
      Glog.warn("%s was written by %d replica(s); replica %d continues from replica 0's data positions",
          file, state.getReplicaCount(), rank);
    }
    ReplicaState replica = state.getReplica(rank < state.getReplicaCount() ? rank : 0);
    Rng.global().restore(replica.getGlobal());
    if (state.hasLosses()) {
      solver.smoothedLoss().resume(state.getLosses());
    }
    List<Net> nets = new ArrayList<>();
    nets.add(solver.net());
    nets.addAll(solver.testNets());
    for (NetState saved : replica.getNetList()) {
      int index = netIndex(saved.getNet());
      if (index < 0 || index >= nets.size()) {
        Glog.warn("%s: the solver has no %s net now; its saved data positions are ignored", file, saved.getNet());
        continue;
      }
      for (LayerState layer : saved.getLayerList()) {
        restore(nets.get(index), saved.getNet(), layer, file);
      }
    }
  }

  /** 0 for "train", k + 1 for "test#k", -1 for anything else. */
  private static int netIndex(String label) {
    if (label.equals("train")) {
      return 0;
    }
    try {
      return label.startsWith("test#") ? 1 + Integer.parseInt(label.substring(5)) : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static void restore(Net net, String label, LayerState state, Path file) {
    Layer layer = net.layerByName(state.getLayer());
    if (!(layer instanceof ResumableState resumable)) {
      Glog.warn("%s: the %s net has no layer '%s' with a position now; its saved state is ignored", file,
          label, state.getLayer());
      return;
    }
    try {
      resumable.restoreState(state);
    } catch (KaffeeException e) {
      throw new KaffeeException(file + ": " + e.getMessage(), e);
    }
  }

  /** The binary SolverState with the resume state in its own field. */
  static SolverState.Builder attach(SolverState.Builder state, ResumeState resume) {
    return state.setUnknownFields(UnknownFieldSet.newBuilder(state.getUnknownFields())
        .addField(SOLVER_STATE_FIELD, UnknownFieldSet.Field.newBuilder()
            .addLengthDelimited(resume.toByteString()).build()).build());
  }

  /** The resume state a binary SolverState carries: none in Caffe's. */
  static Optional<ResumeState> of(SolverState state, Path file) {
    UnknownFieldSet.Field field = state.getUnknownFields().getField(SOLVER_STATE_FIELD);
    List<ByteString> values = field.getLengthDelimitedList();
    return values.isEmpty() ? Optional.empty() : Optional.of(parse(values.get(values.size() - 1), file));
  }

  static ResumeState parse(ByteString bytes, Path file) {
    try {
      return ResumeState.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new KaffeeException(file + ": damaged Kaffee resume state (" + e.getMessage() + ")", e);
    }
  }
}
