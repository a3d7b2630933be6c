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
  /** Creates the layers of Python code that no plugin provides (set by the Python package). */
  private static volatile Function<LayerParameter, Layer> pythonHost;

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

  /** From now on, a Python layer no plugin provides is created by this host (a plugin still wins). */
  public static void usePythonHost(Function<LayerParameter, Layer> host) {
    pythonHost = host;
  }

  /** Every type a prototxt may name, sorted, "Python" included (pycaffe's layer_type_list). */
  public static List<String> typeNames() {
    Set<String> names = new java.util.TreeSet<>(catalog().types.keySet());
    names.add(PYTHON);
    return List.copyOf(names);
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
    String name = javaName(p);
    Function<LayerParameter, Layer> creator = catalog().python.get(name);
    if (creator == null) {
      creator = pythonHost;
    }
    KaffeeException.check(creator != null, "layer %s (Python): no plugin provides module '%s' layer '%s': "
        + "run it from Python (import caffe; tools/kaffee does so when PYTHONPATH finds the module), or "
        + "add a jar whose LayerProvider.pythonLayers() declares \"%s\" to KAFFEE_PLUGINS (README: "
        + "Custom layers as plugins)", param.getName(), p.getModule(), p.getLayer(), name);
    return creator;
  }

  /** True when a plugin provides this Python layer in Java: it then runs wherever the plugin jar is, without Python. */
  public static boolean hasJavaLayer(PythonParameter p) {
    return catalog().python.containsKey(javaName(p));
  }

  /** The name a plugin declares a Python layer's Java stand-in by: "module.layer". */
  private static String javaName(PythonParameter p) {
    return p.getModule() + "." + p.getLayer();
  }

  public static boolean isRegistered(String type) {
    return type.equals(PYTHON) || catalog().types.containsKey(type);
  }
}
