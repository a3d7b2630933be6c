package org.kaffee.api;

import java.util.ArrayList;
import java.util.List;
import org.kaffee.core.Blob;
import org.kaffee.core.KaffeeException;
import org.kaffee.core.Layer;
import org.kaffee.proto.Caffe.LayerParameter;

/**
 * Caffe's PythonLayer: a {@code type: "Python"} layer whose set-up, reshape, forward and backward
 * run a Python object through a {@link PythonHost} (the {@code caffe} package, in the same
 * process). Used only for the layers no Java plugin provides ({@link PythonLayers}).
 */
final class PythonLayer extends Layer {
  private final PythonHost host;
  private PythonCode code;
  private List<Blob> boundBottom;
  private List<Blob> boundTop;

  PythonLayer(LayerParameter param, PythonHost host) {
    super(param);
    this.host = host;
  }

  @Override
  public String type() {
    return "Python";
  }

  @Override
  protected void layerSetUp(List<Blob> bottom, List<Blob> top) {
    // Python code is not thread-safe and cannot be split into replicas (Caffe refuses multi-GPU
    // training with Python layers too).
    check(shard().count() == 1, "Python layer %s cannot run in %d data-parallel workers; train it"
        + " with one worker, or give it a Java plugin layer (README: Custom layers as plugins)",
        qualifiedName(), shard().count());
    code = run("import", () -> host.create(new PythonLayerContext(this)));
    bind(bottom, top);
    run("setup", () -> {
      code.setup();
      return null;
    });
  }

  @Override
  public void reshape(List<Blob> bottom, List<Blob> top) {
    bind(bottom, top);
    run("reshape", () -> {
      code.reshape();
      return null;
    });
  }

  @Override
  public void forward(List<Blob> bottom, List<Blob> top) {
    bind(bottom, top);
    run("forward", () -> {
      code.forward();
      return null;
    });
  }

  @Override
  public void backward(List<Blob> top, boolean[] propagateDown, List<Blob> bottom) {
    bind(bottom, top);
    run("backward", () -> {
      code.backward(propagateDown);
      return null;
    });
  }

  Blob addBlob(int[] shape) {
    Blob blob = newBlob(shape);
    blobs.add(blob);
    return blob;
  }

  int phaseNumber() {
    return phase.getNumber();
  }

  private String qualifiedName() {
    return param.getPythonParam().getModule() + "." + param.getPythonParam().getLayer();
  }

  /** Hands the Python object handles of these blobs when they are not the ones it holds. */
  private void bind(List<Blob> bottom, List<Blob> top) {
    if (bottom == boundBottom && top == boundTop) {
      return;
    }
    List<BlobHandle> bottoms = new ArrayList<>();
    bottom.forEach(b -> bottoms.add(new BlobHandle(b)));
    List<BlobHandle> tops = new ArrayList<>();
    top.forEach(t -> tops.add(new BlobHandle(t)));
    run("bind", () -> {
      code.bind(bottoms, tops);
      return null;
    });
    boundBottom = bottom;
    boundTop = top;
  }

  private interface Step<T> {
    T run();
  }

  /** Runs one step of the Python object; any failure is one line naming layer, module and step. */
  private <T> T run(String step, Step<T> body) {
    try {
      return body.run();
    } catch (KaffeeException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new KaffeeException("layer " + name() + " (Python " + qualifiedName() + "): " + step
          + " failed: " + e.getMessage(), e);
    }
  }
}
