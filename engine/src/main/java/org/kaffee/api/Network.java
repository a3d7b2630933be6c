package org.kaffee.api;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.kaffee.core.Blob;
import org.kaffee.core.DataView;
import org.kaffee.core.KaffeeException;
import org.kaffee.core.Net;
import org.kaffee.io.AtomicFiles;
import org.kaffee.io.Hdf5Weights;
import org.kaffee.io.ProtoFiles;
import org.kaffee.io.WeightFiles;
import org.kaffee.layers.data.MemoryDataLayer;
import org.kaffee.proto.Caffe.NetParameter;
import org.kaffee.solver.SnapshotHdf5;

/**
 * A deploy net in the TEST phase with trained weights, for one thread (pycaffe's
 * {@code caffe.Net}): set the inputs, {@link #forward()}, read any blob by name.
 *
 * <p>A Network is not thread-safe: its blobs hold the activations of the last forward. For
 * another thread call {@link #copy()}: the copy has blobs of its own and uses the same weight
 * memory, which a forward only reads, so any number of copies can run at once.
 */
public final class Network {
  private final NetParameter definition;
  private final Net net;
  private final List<String> inputNames;

  Network(NetParameter definition, Net net) {
    this.definition = definition;
    this.net = net;
    List<String> names = new ArrayList<>();
    for (Blob input : net.inputBlobs()) {
      names.add(net.blobNames().get(net.blobs().indexOf(input)));
    }
    this.inputNames = Collections.unmodifiableList(names);
  }

  /** A net for another thread: blobs of its own, the weights shared with this one. */
  public Network copy() {
    KaffeeException.check(definition != null, "net %s belongs to a solver and cannot be copied", net.name());
    Network other = new Network(definition, new Net(definition));
    other.net.shareTrainedLayersWith(net);
    for (String name : inputNames) {
      other.reshapeInput(name, inputShape(name));
    }
    return other;
  }

  /** The names of the net's Input tops, in the order they are declared. */
  public List<String> inputNames() {
    return inputNames;
  }

  /** The shape of the first input (N, C, H, W for an image net). */
  public int[] inputShape() {
    return inputShape(firstInput());
  }

  public int[] inputShape(String name) {
    return input(name).shape();
  }

  /** Gives an input a new shape (a batch size, an image size) and reshapes every layer. */
  public void reshapeInput(String name, int... shape) {
    Blob blob = input(name);
    if (!java.util.Arrays.equals(blob.shape(), shape)) {
      blob.reshape(shape);
      net.reshape();
    }
  }

  /** Sets the first input's values (row-major, as many as its shape holds). */
  public void setInput(float[] values) {
    setInput(firstInput(), values);
  }

  public void setInput(String name, float[] values) {
    Blob blob = input(name);
    KaffeeException.check(values.length == blob.count(),
        "input '%s' has shape %s (%d values), got %d values; reshapeInput first", name,
        blob.shapeString(), blob.count(), values.length);
    blob.dataView().copyFrom(values);
  }

  /** Runs every layer once; returns the weighted loss (0 for a deploy net). */
  public double forward() {
    return net.forward();
  }

  /** A copy of a blob's values, row-major. */
  public float[] blob(String name) {
    Blob blob = net.blobByName(name);
    DataView view = blob.dataView();
    float[] out = new float[blob.count()];
    if (view instanceof DataView.F32 f) {
      f.buf().get(0, out, 0, out.length);
    } else {
      for (int i = 0; i < out.length; i++) {
        out[i] = (float) view.get(i);
      }
    }
    return out;
  }

  public int[] blobShape(String name) {
    return net.blobByName(name).shape();
  }

  /** Every named blob, in the order the layers produce them. */
  public List<String> blobNames() {
    List<String> names = new ArrayList<>();
    for (String name : net.blobNames()) {
      if (!name.isEmpty() && !names.contains(name)) {
        names.add(name);
      }
    }
    return names;
  }

  /** The blobs no layer consumes (Caffe's net outputs), alphabetical. */
  public List<String> outputNames() {
    return net.outputBlobNames();
  }

  /** The net's one output, or {@code preferred} among several; {@code user} names the tool in the error. */
  public String soleOutputOr(String preferred, String user) {
    List<String> outputs = outputNames();
    if (outputs.size() == 1) {
      return outputs.get(0);
    }
    KaffeeException.check(outputs.contains(preferred), "the net has %d outputs %s: a %s needs one, or one named '%s'",
        outputs.size(), outputs, user, preferred);
    return preferred;
  }

  public List<String> layerNames() {
    return net.layerNames();
  }

  /** The weights of a layer (weights, then bias, as Caffe stores them), each a copy. */
  public List<float[]> params(String layerName) {
    var layer = net.layerByName(layerName);
    KaffeeException.check(layer != null, "net %s has no layer named '%s'", net.name(), layerName);
    List<float[]> out = new ArrayList<>();
    for (Blob param : layer.blobs()) {
      DataView view = param.dataView();
      float[] values = new float[param.count()];
      for (int i = 0; i < values.length; i++) {
        values[i] = (float) view.get(i);
      }
      out.add(values);
    }
    return out;
  }

  /** The shapes of a layer's weights, in the order of {@link #params(String)}. */
  public List<int[]> paramShapes(String layerName) {
    var layer = net.layerByName(layerName);
    KaffeeException.check(layer != null, "net %s has no layer named '%s'", net.name(), layerName);
    List<int[]> out = new ArrayList<>();
    for (Blob param : layer.blobs()) {
      out.add(param.shape());
    }
    return out;
  }

  /** The net definition as loaded (upgraded to the current format, with its state); null for a solver's net. */
  public NetParameter definition() {
    return definition;
  }

  // ---- what pycaffe needs: handles, layer ranges, weight files ---------------

  /** A named blob as a handle over its memory. */
  public BlobHandle blobHandle(String name) {
    return new BlobHandle(net.blobByName(name));
  }

  /** Every layer, split layers included, in net order. */
  public List<LayerHandle> layers() {
    List<LayerHandle> out = new ArrayList<>();
    for (int i = 0; i < net.layers().size(); i++) {
      out.add(new LayerHandle(net, i));
    }
    return out;
  }

  /** Runs layers start..end (indices, both included); returns their weighted loss. */
  public double forward(int start, int end) {
    checkRange(start, end);
    return net.forwardFromTo(start, end);
  }

  /** Backward from layer start down to layer end (start >= end), as Caffe's BackwardFromTo. */
  public void backward(int start, int end) {
    checkRange(end, start);
    net.backwardFromTo(start, end);
  }

  /**
   * Feeds a MemoryData first layer (pycaffe's set_input_arrays): n items, data row-major
   * (n, channels, height, width), one label each; the arrays are kept by the layer.
   */
  public void setInputArrays(float[] data, float[] labels, int n) {
    KaffeeException.check(!net.layers().isEmpty() && net.layers().get(0) instanceof MemoryDataLayer,
        "net %s: set_input_arrays needs a MemoryData layer first, the first layer is %s", net.name(),
        net.layers().isEmpty() ? "missing" : net.layers().get(0).type());
    ((MemoryDataLayer) net.layers().get(0)).reset(data, labels, n);
  }

  /** Re-runs every layer's reshape after inputs changed shape (Caffe's Net::Reshape). */
  public void reshape() {
    net.reshape();
  }

  /** Zeroes the gradients of the learnable params. */
  public void clearParamDiffs() {
    net.clearParamDiffs();
  }

  /** Uses the param memory of the same-named layers of another net (Caffe's ShareTrainedLayersWith). */
  public void shareWith(Network other) {
    net.shareTrainedLayersWith(other.net);
  }

  /** Copies weights from a binary or HDF5 caffemodel, layers matched by name. */
  public void copyFrom(Path weights) {
    net.copyTrainedLayersFrom(WeightFiles.read(weights));
  }

  /** Writes the params as a binary caffemodel (written to a temporary file, then renamed). */
  public void save(Path file) {
    new AtomicFiles().write(file, ProtoFiles.binary(net.toProto(definition, false))).commit();
  }

  /** Writes the params in Caffe's HDF5 caffemodel layout. */
  public void saveHdf5(Path file) {
    new AtomicFiles().write(file, SnapshotHdf5.model(net, false)).commit();
  }

  /** Reads params written by {@link #saveHdf5} (or Caffe), whatever the file's name. */
  public void loadHdf5(Path file) {
    net.copyTrainedLayersFrom(Hdf5Weights.read(file));
  }

  private void checkRange(int low, int high) {
    int last = net.layers().size() - 1;
    KaffeeException.check(low >= 0 && high <= last && low <= high,
        "net %s: layer range %d..%d is outside its %d layers", net.name(), low, high, last + 1);
  }

  /** The engine's net, for what this class does not cover  /** The engine's net, for what this class does not cover (its layers, its blobs). */
  public Net core() {
    return net;
  }

  private String firstInput() {
    KaffeeException.check(!inputNames.isEmpty(),
        "net %s has no input geometry: a deploy net needs an Input layer (or input/input_dim)", net.name());
    return inputNames.get(0);
  }

  private Blob input(String name) {
    KaffeeException.check(inputNames.contains(name), "net %s has no input named '%s' (inputs: %s)",
        net.name(), name, inputNames);
    return net.blobByName(name);
  }
}
