package org.kaffee.solver;

import java.util.ArrayList;
import java.util.List;
import org.kaffee.core.KaffeeException;
import org.kaffee.core.Net;
import org.kaffee.core.Shard;
import org.kaffee.io.NetFiles;
import org.kaffee.io.WeightFiles;
import org.kaffee.io.WorkDir;
import org.kaffee.log.Glog;
import org.kaffee.proto.Caffe.NetParameter;
import org.kaffee.proto.Caffe.NetState;
import org.kaffee.proto.Caffe.Phase;
import org.kaffee.proto.Caffe.SolverParameter;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Builds the train net and the test nets a SolverParameter describes (Caffe's
 * Solver::InitTrainNet and InitTestNets), with the {@code weights} it lists loaded.
 */
public final class SolverNets {
  private SolverNets() {
  }

  /**
   * The train net from exactly one of net, net_param, train_net, train_net_param; its data
   * layers produce the given shard of every global batch.
   */
  static Net train(SolverParameter param, Shard shard) {
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
    Net train = new Net(netParam.toBuilder().setState(state).build(), DataType.FLOAT, shard);
    for (String list : param.getWeightsList()) {
      loadWeights(train, list);
    }
    return train;
  }

  /** One test net per test_iter: the specific test nets first, then copies of the generic net. */
  static List<Net> test(SolverParameter param) {
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
    List<Net> testNets = new ArrayList<>();
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
    return testNets;
  }

  /** Copies weights from each caffemodel (binary or HDF5) of a comma-separated list (Caffe's LoadNetWeights). */
  public static void loadWeights(Net target, String commaList) {
    for (String name : commaList.split(",")) {
      String trimmed = name.trim();
      if (trimmed.isEmpty()) {
        continue;
      }
      Glog.info("Finetuning from %s", trimmed);
      target.copyTrainedLayersFrom(WeightFiles.read(WorkDir.resolve(trimmed)));
    }
  }
}
