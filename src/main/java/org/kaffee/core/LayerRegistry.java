package org.kaffee.core;

import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.function.Function;
import org.kaffee.proto.Caffe.LayerParameter;

/** Maps a prototxt layer {@code type} to its implementation (Caffe's LayerRegistry). */
public final class LayerRegistry {
  private static volatile Map<String, Function<LayerParameter, Layer>> creators;

  private LayerRegistry() {
  }

  private static Map<String, Function<LayerParameter, Layer>> creators() {
    if (creators == null) {
      synchronized (LayerRegistry.class) {
        if (creators == null) {
          Map<String, Function<LayerParameter, Layer>> all = new TreeMap<>();
          for (LayerProvider provider : ServiceLoader.load(LayerProvider.class)) {
            for (var e : provider.layers().entrySet()) {
              Function<LayerParameter, Layer> previous = all.putIfAbsent(e.getKey(), e.getValue());
              KaffeeException.check(previous == null, "layer type %s is registered twice (by %s)",
                  e.getKey(), provider.getClass().getName());
            }
          }
          creators = all;
        }
      }
    }
    return creators;
  }

  public static Layer create(LayerParameter param) {
    Function<LayerParameter, Layer> creator = creators().get(param.getType());
    if (creator == null) {
      throw new KaffeeException("layer " + param.getName() + ": unknown layer type '"
          + param.getType() + "' (known types: " + String.join(", ", creators().keySet()) + ")");
    }
    return creator.apply(param);
  }

  public static boolean isRegistered(String type) {
    return creators().containsKey(type);
  }
}
