package org.kaffee.api;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.kaffee.core.KaffeeException;
import org.kaffee.core.Net;
import org.kaffee.io.WeightFiles;
import org.kaffee.io.WorkDir;
import org.kaffee.proto.Caffe.NetParameter;
import org.kaffee.proto.Caffe.NetState;
import org.kaffee.proto.Caffe.Phase;

/**
 * How a net is opened: the definition, the state it is built for (phase, level, stages, as
 * Caffe's {@code Net(file, phase, level, stages)}), the weights copied into it by layer name
 * (binary or HDF5 caffemodels, {@link WeightFiles}) and the first input's batch size. Every
 * caller that opens a net (the Java API, the Python package) goes through here.
 *
 * <pre>{@code
 * Network net = Kaffee.open(Path.of("train_val.prototxt")).phase(Phase.TRAIN).stages(List.of("val"))
 *     .weights("a.caffemodel,b.caffemodel.h5").load();
 * }</pre>
 */
public final class NetLoader {
  private final NetParameter definition;
  private final List<Path> weights = new ArrayList<>();
  private Phase phase = Phase.TEST;
  private int level;
  private List<String> stages = List.of();
  private Boolean forceBackward;
  private int batchSize;

  NetLoader(NetParameter definition) {
    this.definition = definition;
  }

  /** Weights files copied in order, later ones over earlier ones, layers matched by name. */
  public NetLoader weights(Path... files) {
    weights.addAll(List.of(files));
    return this;
  }

  /** Caffe's {@code --weights} form: a comma-separated list of files (blank entries ignored). */
  public NetLoader weights(String commaList) {
    for (String name : commaList.split(",")) {
      if (!name.isBlank()) {
        weights.add(WorkDir.resolve(name.trim()));
      }
    }
    return this;
  }

  /** The phase the layers are filtered for; TEST unless set, as in Caffe's tools. */
  public NetLoader phase(Phase value) {
    phase = value;
    return this;
  }

  public NetLoader level(int value) {
    level = value;
    return this;
  }

  /** Stages added to those the definition's own state lists. */
  public NetLoader stages(List<String> values) {
    stages = List.copyOf(values);
    return this;
  }

  /** Overrides the definition's {@code force_backward}. */
  public NetLoader forceBackward(boolean value) {
    forceBackward = value;
    return this;
  }

  /** Gives the first input this many items (its N) before returning the net. */
  public NetLoader batchSize(int value) {
    KaffeeException.check(value > 0, "batch size must be positive, got %d", value);
    batchSize = value;
    return this;
  }

  /** Builds the net, copies the weights in and reshapes the first input when asked. */
  public Network load() {
    NetState state = definition.getState().toBuilder().setPhase(phase).setLevel(level)
        .addAllStage(stages).build();
    NetParameter.Builder built = definition.toBuilder().setState(state);
    if (forceBackward != null) {
      built.setForceBackward(forceBackward);
    }
    NetParameter stated = built.build();
    Network network = new Network(stated, new Net(stated));
    for (Path file : weights) {
      network.core().copyTrainedLayersFrom(WeightFiles.read(file));
    }
    if (batchSize > 0) {
      int[] shape = network.inputShape();
      shape[0] = batchSize;
      network.reshapeInput(network.inputNames().get(0), shape);
    }
    return network;
  }
}
