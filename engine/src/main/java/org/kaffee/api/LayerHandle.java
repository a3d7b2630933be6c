package org.kaffee.api;

import java.util.ArrayList;
import java.util.List;
import org.kaffee.core.Blob;
import org.kaffee.core.Layer;
import org.kaffee.core.Net;

/** One layer of a net as pycaffe lists it: name, type, bottom and top blob names, param blobs. */
public final class LayerHandle {
  private final Net net;
  private final int index;

  LayerHandle(Net net, int index) {
    this.net = net;
    this.index = index;
  }

  public String name() {
    return net.layerNames().get(index);
  }

  public String type() {
    return layer().type();
  }

  /** The param blobs (weights, bias, ...) as they are now: a Python layer may add some at set-up. */
  public List<BlobHandle> blobs() {
    List<BlobHandle> out = new ArrayList<>();
    for (Blob blob : layer().blobs()) {
      out.add(new BlobHandle(blob));
    }
    return out;
  }

  public List<String> bottomNames() {
    return names(net.bottomIds(index));
  }

  public List<String> topNames() {
    return names(net.topIds(index));
  }

  /** The loss weight of each top (Caffe's Layer::loss): a loss layer weighs its first top by 1 unless told otherwise. */
  public double[] lossWeights() {
    double[] out = new double[net.topIds(index).size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = layer().loss(i);
    }
    return out;
  }

  private List<String> names(List<Integer> ids) {
    List<String> out = new ArrayList<>();
    for (int id : ids) {
      out.add(net.blobNames().get(id));
    }
    return out;
  }

  private Layer layer() {
    return net.layers().get(index);
  }
}
