package org.kaffee.api;

/** Creates the Python object of a {@code type: "Python"} layer: the {@code caffe} package's importer. */
public interface PythonHost {
  PythonCode create(PythonLayerContext layer);
}
