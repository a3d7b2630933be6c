package org.kaffee.api;

import java.util.ArrayList;
import java.util.List;
import org.kaffee.core.Blob;
import org.kaffee.proto.Caffe.PythonParameter;

/** What a Python layer's object sees of its layer: names, param_str, phase, and its param blobs. */
public final class PythonLayerContext {
  private final PythonLayer layer;

  PythonLayerContext(PythonLayer layer) {
    this.layer = layer;
  }

  public String name() {
    return layer.name();
  }

  public String module() {
    return python().getModule();
  }

  /** The class name in the module (python_param.layer). */
  public String layerClass() {
    return python().getLayer();
  }

  public String paramStr() {
    return python().getParamStr();
  }

  /** Caffe's phase numbers: TRAIN 0, TEST 1. */
  public int phase() {
    return layer.phaseNumber();
  }

  /** The whole LayerParameter, serialized (the Python side parses it with caffe_pb2). */
  public byte[] param() {
    return layer.param().toByteArray();
  }

  /** Caffe's {@code self.blobs.add_blob(*shape)}: a new param blob of zeros. */
  public BlobHandle addBlob(int[] shape) {
    return new BlobHandle(layer.addBlob(shape));
  }

  public List<BlobHandle> blobs() {
    List<BlobHandle> out = new ArrayList<>();
    for (Blob blob : layer.blobs()) {
      out.add(new BlobHandle(blob));
    }
    return out;
  }

  private PythonParameter python() {
    return layer.param().getPythonParam();
  }
}
