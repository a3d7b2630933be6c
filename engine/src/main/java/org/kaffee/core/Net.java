package org.kaffee.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.kaffee.log.Glog;
import org.kaffee.proto.Caffe.LayerParameter;
import org.kaffee.proto.Caffe.NetParameter;
import org.kaffee.proto.Caffe.NetState;
import org.kaffee.proto.Caffe.ParamSpec;
import org.kaffee.proto.Caffe.Phase;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Caffe's Net: layers wired over named blobs. {@link #Net(NetParameter, DataType)} follows
 * Net::Init step by step: filter layers by the net state, insert splits, create and set
 * up each layer (in-place tops reuse their bottom), share named params, decide which
 * layers need backward, and collect the unconsumed tops as outputs.
 */
public final class Net implements AutoCloseable {
  private final String name;
  private final Phase phase;
  private final DataType dataType;
  private final List<Layer> layers = new ArrayList<>();
  private final List<String> layerNames = new ArrayList<>();
  private final Map<String, Integer> layerIndexByName = new HashMap<>();
  private final List<Blob> blobs = new ArrayList<>();
  private final List<String> blobNames = new ArrayList<>();
  private final Map<String, Integer> blobIndexByName = new HashMap<>();
  private final List<Boolean> blobNeedBackward = new ArrayList<>();
  private final List<List<Blob>> bottomVecs = new ArrayList<>();
  private final List<List<Integer>> bottomIds = new ArrayList<>();
  private final List<boolean[]> bottomNeedBackward = new ArrayList<>();
  private final List<List<Blob>> topVecs = new ArrayList<>();
  private final List<List<Integer>> topIds = new ArrayList<>();
  private final List<Boolean> layerNeedBackward = new ArrayList<>();
  private final List<Blob> inputBlobs = new ArrayList<>();
  private final List<Blob> outputBlobs = new ArrayList<>();
  private final List<String> outputBlobNames = new ArrayList<>();
  private final Params params = new Params();
  private boolean debugInfo;
  private final Shard shard;
  private boolean closed;

  /** Builds a net for the state in {@code param.state} (phase, level, stages). */
  public Net(NetParameter param, DataType dataType) {
    this(param, dataType, Shard.WHOLE);
  }

  /** Builds a replica's net: its data layers produce the given shard of every global batch. */
  public Net(NetParameter param, DataType dataType, Shard shard) {
    this.dataType = dataType;
    this.shard = shard;
    NetParameter filtered = NetFilter.filter(param);
    NetParameter net = SplitInserter.insertSplits(filtered);
    this.name = net.getName();
    this.phase = net.getState().getPhase();
    this.debugInfo = net.getDebugInfo();
    Glog.info("Initializing net from parameters: \n%s", net);
    Set<String> available = new TreeSet<>();
    long memory = 0;
    for (int id = 0; id < net.getLayerCount(); id++) {
      LayerParameter lp = net.getLayer(id);
      if (!lp.hasPhase()) {
        lp = lp.toBuilder().setPhase(phase).build();
      }
      memory += createLayer(id, lp, available);
    }
    Glog.info("Memory required for data: %d", memory * (dataType == DataType.DOUBLE ? 8 : 4));
    BackwardAnalysis.run(this, blobNeedBackward, layerNeedBackward, net.getForceBackward());
    for (String blob : available) {
      Glog.info("This network produces output %s", blob);
      outputBlobs.add(blobs.get(blobIndexByName.get(blob)));
      outputBlobNames.add(blob);
    }
    params.shareWeights();
    Glog.info("Network initialization done.");
  }

  public Net(NetParameter param) {
    this(param, DataType.FLOAT);
  }

  /** Builds the net for a phase (with optional level and stages), as Caffe's tools do. */
  public static Net forPhase(NetParameter param, Phase phase, int level, List<String> stages) {
    NetState state = param.getState().toBuilder().setPhase(phase).setLevel(level)
        .addAllStage(stages).build();
    return new Net(param.toBuilder().setState(state).build());
  }

  // ---- construction ---------------------------------------------------------

  /** A layer that fails in set-up with anything but a KaffeeException (a plugin's bug) is one line naming it. */
  private static void setUp(Layer layer, LayerParameter lp, List<Blob> bottom, List<Blob> top) {
    try {
      layer.setUp(bottom, top);
    } catch (KaffeeException e) {
      throw e;
    } catch (RuntimeException | LinkageError e) {
      throw new KaffeeException("layer " + lp.getName() + " (" + lp.getType() + ", "
          + PluginJars.origin(layer.getClass()) + "): set-up failed: " + e, e);
    }
  }

  private long createLayer(int id, LayerParameter lp, Set<String> available) {
    Layer layer = LayerRegistry.create(lp);
    layer.setDataType(dataType);
    layer.setShard(shard);
    layers.add(layer);
    layerNames.add(lp.getName());
    layerIndexByName.put(lp.getName(), id);
    Glog.info("Creating Layer %s", lp.getName());
    KaffeeException.check(lp.getPropagateDownCount() == 0
        || lp.getPropagateDownCount() == lp.getBottomCount(),
        "layer %s: propagate_down must be given once per bottom (%d bottoms, %d values)",
        lp.getName(), lp.getBottomCount(), lp.getPropagateDownCount());
    List<Blob> bottom = new ArrayList<>();
    List<Integer> bIds = new ArrayList<>();
    boolean[] bNeed = new boolean[lp.getBottomCount()];
    boolean needBackward = false;
    for (int b = 0; b < lp.getBottomCount(); b++) {
      String blobName = lp.getBottom(b);
      KaffeeException.check(available.contains(blobName),
          "unknown bottom blob '%s' (layer '%s', bottom index %d)", blobName, lp.getName(), b);
      int blobId = blobIndexByName.get(blobName);
      Glog.info("%s <- %s", lp.getName(), blobName);
      bottom.add(blobs.get(blobId));
      bIds.add(blobId);
      bNeed[b] = lp.getPropagateDownCount() > 0 ? lp.getPropagateDown(b) : blobNeedBackward.get(blobId);
      needBackward |= blobNeedBackward.get(blobId);
      available.remove(blobName);
    }
    List<Blob> top = new ArrayList<>();
    List<Integer> tIds = new ArrayList<>();
    for (int t = 0; t < lp.getTopCount(); t++) {
      appendTop(lp, t, top, tIds, available);
    }
    // Layers such as Data may ask for anonymous tops up to their declared count.
    if (layer.blobCounts().autoTops()) {
      while (top.size() < layer.blobCounts().minTops()) {
        Blob blob = new Blob(dataType);
        top.add(blob);
        tIds.add(registerBlob("", blob));
      }
    }
    bottomVecs.add(bottom);
    bottomIds.add(bIds);
    bottomNeedBackward.add(bNeed);
    topVecs.add(top);
    topIds.add(tIds);
    if (lp.getType().equals("Input")) {
      inputBlobs.addAll(top);
    }
    Glog.info("Setting up %s", lp.getName());
    setUp(layer, lp, bottom, top);
    lp = layer.paramSpecSource();  // Caffe's BatchNorm fixes its params' lr_mult to 0 at set-up
    long memory = 0;
    for (int t = 0; t < top.size(); t++) {
      Glog.info("Top shape: %s", top.get(t).shapeString());
      if (layer.loss(t) != 0) {
        Glog.info("    with loss weight %s", formatFloat(layer.loss(t)));
      }
      memory += top.get(t).count();
    }
    for (int p = 0; p < layer.blobs().size(); p++) {
      ParamSpec spec = p < lp.getParamCount() ? lp.getParam(p) : ParamSpec.getDefaultInstance();
      boolean learns = spec.getLrMult() != 0;
      needBackward |= learns;
      layer.setParamPropagateDown(p, learns);
    }
    for (int p = 0; p < layer.blobs().size(); p++) {
      params.append(this, id, lp, p);
    }
    layerNeedBackward.add(needBackward);
    if (needBackward) {
      for (int tId : tIds) {
        blobNeedBackward.set(tId, true);
      }
    }
    return memory;
  }

  private void appendTop(LayerParameter lp, int t, List<Blob> top, List<Integer> tIds,
      Set<String> available) {
    String blobName = lp.getTop(t);
    boolean inPlace = t < lp.getBottomCount() && blobName.equals(lp.getBottom(t));
    if (inPlace) {
      Glog.info("%s -> %s (in-place)", lp.getName(), blobName);
      int blobId = blobIndexByName.get(blobName);
      top.add(blobs.get(blobId));
      tIds.add(blobId);
    } else {
      KaffeeException.check(!blobIndexByName.containsKey(blobName),
          "top blob '%s' of layer '%s' is produced by more than one layer", blobName, lp.getName());
      Glog.info("%s -> %s", lp.getName(), blobName);
      Blob blob = new Blob(dataType);
      top.add(blob);
      tIds.add(registerBlob(blobName, blob));
    }
    available.add(blobName);
  }

  private int registerBlob(String blobName, Blob blob) {
    int blobId = blobs.size();
    blobs.add(blob);
    blobNames.add(blobName);
    blobNeedBackward.add(false);
    if (!blobName.isEmpty()) {
      blobIndexByName.put(blobName, blobId);
    }
    return blobId;
  }

  // ---- running --------------------------------------------------------------

  /** Forward through layers [start, end]; returns the weighted loss. */
  public double forwardFromTo(int start, int end) {
    KaffeeException.check(!closed, "net %s was closed and cannot run", name);
    OpThreads.applyToCurrentThread();
    double loss = 0;
    for (int i = start; i <= end; i++) {
      loss += layers.get(i).forwardWithLoss(bottomVecs.get(i), topVecs.get(i));
      if (debugInfo) {
        DebugInfo.forward(this, i);
      }
    }
    return loss;
  }

  public double forward() {
    return forwardFromTo(0, layers.size() - 1);
  }

  public void backwardFromTo(int start, int end) {
    OpThreads.applyToCurrentThread();
    for (int i = start; i >= end; i--) {
      if (layerNeedBackward.get(i)) {
        layers.get(i).backward(topVecs.get(i), bottomNeedBackward.get(i), bottomVecs.get(i));
        if (debugInfo) {
          DebugInfo.backward(this, i);
        }
      }
    }
  }

  public void backward() {
    backwardFromTo(layers.size() - 1, 0);
    if (debugInfo) {
      DebugInfo.params(this);
    }
  }

  public double forwardBackward() {
    double loss = forward();
    backward();
    return loss;
  }

  /**
   * Stops the data layers' prefetch threads, closes their sources and frees the activations'
   * native memory at once. Param blobs are left to the garbage collector: another net (a
   * solver's test net) may share them. The net cannot run afterwards.
   */
  @Override
  public void close() {
    closed = true;
    for (Layer layer : layers) {
      layer.close();
    }
    Set<INDArray> freed = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Blob blob : blobs) {
      blob.release(freed);
    }
  }

  /** Re-runs every layer's reshape, after an input blob changed shape. */
  public void reshape() {
    for (int i = 0; i < layers.size(); i++) {
      layers.get(i).reshape(bottomVecs.get(i), topVecs.get(i));
    }
  }

  public void clearParamDiffs() {
    for (Blob blob : params.learnable()) {
      blob.diff().assign(0);
    }
  }

  public void setDebugInfo(boolean value) {
    debugInfo = value;
  }

  // ---- weights --------------------------------------------------------------

  /** Caffe's CopyTrainedLayersFrom: see {@link NetWeights#copyFrom}. */
  public void copyTrainedLayersFrom(NetParameter trained) {
    NetWeights.copyFrom(trained, this);
  }

  /** Makes this net's layers use the param memory of the same-named layers of another net. */
  public void shareTrainedLayersWith(Net other) {
    NetWeights.share(other, this);
  }

  /** The net with every layer's param blobs (Caffe's ToProto), as a caffemodel stores it. */
  public NetParameter toProto(NetParameter definition, boolean writeDiff) {
    return NetWeights.toProto(this, writeDiff);
  }

  // ---- accessors ------------------------------------------------------------

  public String name() {
    return name;
  }

  public Phase phase() {
    return phase;
  }

  public DataType dataType() {
    return dataType;
  }

  public List<Layer> layers() {
    return layers;
  }

  public List<String> layerNames() {
    return layerNames;
  }

  public Layer layerByName(String layerName) {
    Integer i = layerIndexByName.get(layerName);
    return i == null ? null : layers.get(i);
  }

  public List<Blob> blobs() {
    return blobs;
  }

  public List<String> blobNames() {
    return blobNames;
  }

  public boolean hasBlob(String blobName) {
    return blobIndexByName.containsKey(blobName);
  }

  public Blob blobByName(String blobName) {
    Integer i = blobIndexByName.get(blobName);
    KaffeeException.check(i != null, "net %s has no blob named '%s'", name, blobName);
    return blobs.get(i);
  }

  public List<List<Blob>> bottomVecs() {
    return bottomVecs;
  }

  public List<List<Blob>> topVecs() {
    return topVecs;
  }

  public List<Integer> topIds(int layer) {
    return topIds.get(layer);
  }

  public List<Integer> bottomIds(int layer) {
    return bottomIds.get(layer);
  }

  public boolean layerNeedBackward(int layer) {
    return layerNeedBackward.get(layer);
  }

  public boolean[] bottomNeedBackward(int layer) {
    return bottomNeedBackward.get(layer);
  }

  /** The tops of Input layers, in order (a deploy net's inputs). */
  public List<Blob> inputBlobs() {
    return inputBlobs;
  }

  /** Unconsumed tops, in alphabetical order of name (Caffe keeps them in a std::set). */
  public List<Blob> outputBlobs() {
    return outputBlobs;
  }

  public List<String> outputBlobNames() {
    return outputBlobNames;
  }

  /** Every param blob of every layer, in layer order; shared ones appear once per user. */
  public List<Blob> params() {
    return params.all();
  }

  /** The distinct learnable params (shared ones once), the solver's list. */
  public List<Blob> learnableParams() {
    return params.learnable();
  }

  public List<Float> paramsLr() {
    return params.lr();
  }

  public List<Float> paramsWeightDecay() {
    return params.decay();
  }

  /** Display name of each entry of {@link #params()}: its shared name, or its index. */
  public List<String> paramDisplayNames() {
    return params.displayNames();
  }

  /** For each entry of {@link #params()}: the index of the param it shares, or -1. */
  public List<Integer> paramOwners() {
    return params.owners();
  }

  /** (layer, blob index) of each entry of {@link #params()}. */
  public List<int[]> paramLayerIndices() {
    return params.layerIndices();
  }

  static String formatFloat(double v) {
    return DebugInfo.format(v);
  }
}
