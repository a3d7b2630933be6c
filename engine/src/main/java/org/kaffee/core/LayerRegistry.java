package org.kaffee.core;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.kaffee.proto.Caffe.LayerParameter;
import org.kaffee.proto.Caffe.PythonParameter;

/**
 * Maps a prototxt layer {@code type} to its implementation (Caffe's LayerRegistry): Kaffee's
 * layer families and the plugin jars of the {@code kaffee.plugins} property. A
 * {@code type: "Python"} layer is the plugin layer declared as {@code "module.layer"} of its
 * {@code python_param}.
 */
public final class LayerRegistry {
  public static final String PYTHON = "Python";
  private static volatile LayerCatalog catalog;

  private LayerRegistry() {
  }

  private static LayerCatalog catalog() {
    if (catalog == null) {
      synchronized (LayerRegistry.class) {
        if (catalog == null) {
          catalog = LayerCatalog.build(PluginJars.fromProperty());
        }
      }
    }
    return catalog;
  }

  /** Kaffee's layers plus those of these plugin jars, from now on (each jar is checked). */
  public static void usePlugins(List<Path> jars) {
    LayerCatalog next = LayerCatalog.build(jars);
    synchronized (LayerRegistry.class) {
      catalog = next;
    }
  }

  public static Layer create(LayerParameter param) {
    Function<LayerParameter, Layer> creator = param.getType().equals(PYTHON) ? python(param)
        : catalog().types.get(param.getType());
    if (creator == null) {
      throw new KaffeeException("layer " + param.getName() + ": unknown layer type '"
          + param.getType() + "' (known types: " + String.join(", ", new java.util.TreeSet<>(catalog().types.keySet())) + ")");
    }
    try {
      return creator.apply(param);
    } catch (KaffeeException e) {
      throw e;
    } catch (RuntimeException | LinkageError e) {  // a plugin's constructor
      throw new KaffeeException("layer " + param.getName() + " (" + param.getType() + "): cannot be created: " + e, e);
    }
  }

  private static Function<LayerParameter, Layer> python(LayerParameter param) {
    PythonParameter p = param.getPythonParam();
    KaffeeException.check(p.hasModule() && p.hasLayer(),
        "layer %s (Python): python_param needs module and layer", param.getName());
    String name = p.getModule() + "." + p.getLayer();
    Function<LayerParameter, Layer> creator = catalog().python.get(name);
    KaffeeException.check(creator != null, "layer %s (Python): no plugin provides module '%s' layer '%s': "
        + "Kaffee runs Python layers as Java plugin layers; add a jar whose LayerProvider.pythonLayers() "
        + "declares \"%s\" to KAFFEE_PLUGINS (README: Custom layers as plugins)", param.getName(),
        p.getModule(), p.getLayer(), name);
    return creator;
  }

  public static boolean isRegistered(String type) {
    return type.equals(PYTHON) || catalog().types.containsKey(type);
  }
}
