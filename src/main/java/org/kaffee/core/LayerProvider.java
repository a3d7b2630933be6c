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
}
