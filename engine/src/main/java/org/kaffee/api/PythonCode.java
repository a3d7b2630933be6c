package org.kaffee.api;

import java.util.List;

/**
 * One Python layer object ({@code caffe.Layer} subclass) as the engine calls it: implemented in
 * Python by the {@code caffe} package through JPype. The bottoms and tops are bound once and
 * again only when the engine hands the layer other blobs, so a pass crosses into Python with
 * no arguments to convert. An exception from the Python code arrives as a KaffeeException
 * whose message names the layer, the module and the Python error.
 */
public interface PythonCode {
  void bind(List<BlobHandle> bottom, List<BlobHandle> top);

  void setup();

  void reshape();

  void forward();

  void backward(boolean[] propagateDown);
}
