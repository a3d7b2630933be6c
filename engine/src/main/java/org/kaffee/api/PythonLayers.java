package org.kaffee.api;

import org.kaffee.core.LayerRegistry;

/**
 * Lets {@code type: "Python"} layers run real Python: the {@code caffe} package installs its host
 * here when it starts the JVM. A Java plugin layer declared for the same {@code module.layer}
 * still wins (it is faster and works with {@code --workers}); the host serves the rest.
 */
public final class PythonLayers {
  private PythonLayers() {
  }

  public static void install(PythonHost host) {
    LayerRegistry.usePythonHost(param -> new PythonLayer(param, host));
  }
}
