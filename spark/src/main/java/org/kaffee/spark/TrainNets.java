package org.kaffee.spark;

import java.util.function.UnaryOperator;
import org.kaffee.core.KaffeeException;
import org.kaffee.core.NetFilter;
import org.kaffee.io.NetFiles;
import org.kaffee.io.WorkDir;
import org.kaffee.proto.Caffe.LayerParameter;
import org.kaffee.proto.Caffe.NetParameter;
import org.kaffee.proto.Caffe.NetState;
import org.kaffee.proto.Caffe.Phase;
import org.kaffee.proto.Caffe.SolverParameter;

/** The train net of a solver, read and edited in place (its file inlined as a net param). */
final class TrainNets {
  private TrainNets() {
  }

  /** The solver with its train net replaced by {@code edit} of it (test nets of a shared net see the edit too). */
  static SolverParameter editTrainNet(SolverParameter solver, UnaryOperator<NetParameter> edit) {
    SolverParameter.Builder b = solver.toBuilder();
    if (solver.hasTrainNetParam()) {
      b.setTrainNetParam(edit.apply(solver.getTrainNetParam()));
    } else if (solver.hasTrainNet()) {
      b.clearTrainNet().setTrainNetParam(edit.apply(NetFiles.readNetText(WorkDir.resolve(solver.getTrainNet()))));
    } else if (solver.hasNetParam()) {
      b.setNetParam(edit.apply(solver.getNetParam()));
    } else if (solver.hasNet()) {
      b.clearNet().setNetParam(edit.apply(NetFiles.readNetText(WorkDir.resolve(solver.getNet()))));
    } else {
      throw new KaffeeException("solver: must specify a train net using one of these fields: net, net_param,"
          + " train_net, train_net_param");
    }
    return b.build();
  }

  /** The train net as the solver builds it (files read, V0/V1 upgraded). */
  static NetParameter trainNet(SolverParameter solver) {
    NetParameter[] net = new NetParameter[1];
    editTrainNet(solver, n -> net[0] = n);
    return net[0];
  }

  /** The index in the net's layer list of its one Data layer in the TRAIN phase. */
  static int trainDataLayer(SolverParameter solver) {
    NetParameter net = trainNet(solver);
    NetState state = NetState.newBuilder().setPhase(Phase.TRAIN).mergeFrom(net.getState())
        .mergeFrom(solver.getTrainState()).build();
    int found = -1;
    for (int i = 0; i < net.getLayerCount(); i++) {
      LayerParameter layer = net.getLayer(i);
      boolean inTrain = NetFilter.filter(NetParameter.newBuilder().setState(state).addLayer(layer).build())
          .getLayerCount() == 1;
      if (inTrain && layer.getType().equals("Data")) {
        if (found >= 0) {
          throw new KaffeeException("the train net has two Data layers (" + net.getLayer(found).getName()
              + ", " + layer.getName() + "); a DataFrame feeds one");
        }
        found = i;
      }
    }
    KaffeeException.check(found >= 0, "the train net has no Data layer for the DataFrame's rows (add a layer"
        + " of type \"Data\" with the batch_size and transform_param to use)");
    return found;
  }
}
