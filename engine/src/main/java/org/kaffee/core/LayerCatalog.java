package org.kaffee.core;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.function.Function;
import org.kaffee.proto.Caffe.LayerParameter;

/**
 * Every layer type Kaffee can create: its own families (found on the classpath) and those of
 * plugin jars, and the Java layers that stand in for {@code type: "Python"} layers. A type
 * that two providers declare is one line naming both.
 */
final class LayerCatalog {
  final Map<String, Function<LayerParameter, Layer>> types = new TreeMap<>();
  final Map<String, Function<LayerParameter, Layer>> python = new TreeMap<>();
  private final Map<String, String> typeOrigins = new TreeMap<>();
  private final Map<String, String> pythonOrigins = new TreeMap<>();

  static LayerCatalog build(List<Path> pluginJars) {
    LayerCatalog catalog = new LayerCatalog();
    for (LayerProvider provider : ServiceLoader.load(LayerProvider.class, LayerCatalog.class.getClassLoader())) {
      catalog.add(provider);
    }
    for (LayerProvider provider : PluginJars.load(pluginJars)) {
      catalog.add(provider);
    }
    return catalog;
  }

  private void add(LayerProvider provider) {
    String origin = PluginJars.origin(provider.getClass());
    provider.layers().forEach((type, creator) ->
        put(types, typeOrigins, "layer type '" + type + "'", type, creator, origin));
    provider.pythonLayers().forEach((name, creator) ->
        put(python, pythonOrigins, "Python layer '" + name + "'", name, creator, origin));
  }

  private static void put(Map<String, Function<LayerParameter, Layer>> into, Map<String, String> origins,
      String what, String key, Function<LayerParameter, Layer> creator, String origin) {
    String previous = origins.putIfAbsent(key, origin);
    KaffeeException.check(previous == null, "%s is declared by both %s and %s: keep one of them", what,
        previous, origin);
    into.put(key, creator);
  }
}
