package org.kaffee.core;

import java.util.Map;
import java.util.function.Function;
import org.kaffee.proto.Caffe.LayerParameter;

/**
 * A family of layers, found with {@link java.util.ServiceLoader}: each family of
 * Kaffee's layers is one provider, and a plugin jar that lists its own provider in
 * {@code META-INF/services/org.kaffee.core.LayerProvider} adds layers without a rebuild.
 */
public interface LayerProvider {
  /** Type string (as written in a prototxt) to constructor. */
  Map<String, Function<LayerParameter, Layer>> layers();

  /**
   * Layers that stand in for Caffe's {@code type: "Python"} layers, keyed
   * {@code "module.layer"} as the net's {@code python_param} names them. The layer receives the
   * whole LayerParameter; {@code python_param.param_str} is what Caffe hands to the Python
   * layer as {@code self.param_str}.
   */
  default Map<String, Function<LayerParameter, Layer>> pythonLayers() {
    return Map.of();
  }
}
