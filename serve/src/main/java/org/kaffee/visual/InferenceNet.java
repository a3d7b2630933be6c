package org.kaffee.visual;

import java.nio.file.Path;
import java.util.List;
import org.kaffee.core.Blob;
import org.kaffee.core.KaffeeException;
import org.kaffee.core.Net;
import org.kaffee.io.NetFiles;
import org.kaffee.proto.Caffe.NetParameter;
import org.kaffee.proto.Caffe.Phase;
import org.kaffee.solver.SolverNets;

/**
 * A deploy net (an Input layer) with trained weights, one image per batch, and with
 * force_backward so gradients reach the input (for gradient ascent on it).
 */
public final class InferenceNet {
  private final Net net;

  public InferenceNet(Path model, String weights) {
    NetParameter param = NetFiles.readNetText(model).toBuilder().setForceBackward(true).build();
    net = Net.forPhase(param, Phase.TEST, 0, List.of());
    KaffeeException.check(!net.inputBlobs().isEmpty(),
        "model %s has no Input layer (use a deploy net)", model);
    if (weights != null && !weights.isEmpty()) {
      SolverNets.loadWeights(net, weights);
    }
    Blob input = input();
    int[] shape = input.shape().clone();
    shape[0] = 1;
    input.reshape(shape);
    net.reshape();
  }

  public Net net() {
    return net;
  }

  public Blob input() {
    return net.inputBlobs().get(0);
  }

  /** The index of the layer whose first top is {@code name}, or of the layer called so. */
  public int layerProducing(String name) {
    for (int i = net.layers().size() - 1; i >= 0; i--) {
      if (net.layerNames().get(i).equals(name)) {
        return i;
      }
    }
    for (int i = net.layers().size() - 1; i >= 0; i--) {
      for (int id : net.topIds(i)) {
        if (net.blobNames().get(id).equals(name)) {
          return i;
        }
      }
    }
    throw new KaffeeException("the net has no layer or blob named '" + name + "' (layers: "
        + String.join(", ", net.layerNames()) + ")");
  }

  /** The first top of layer {@code index}. */
  public Blob top(int index) {
    return net.topVecs().get(index).get(0);
  }

  public String topName(int index) {
    return net.blobNames().get(net.topIds(index).get(0));
  }
}
