package org.kaffee.core;

import java.io.File;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * Plugin jars named by the {@code kaffee.plugins} property (set by {@code tools/kaffee} from
 * {@code KAFFEE_PLUGINS}), each in a class loader of its own so that every provider is known
 * by its jar: a missing jar or one that declares no layers is one clear line.
 */
final class PluginJars {
  static final String PROPERTY = "kaffee.plugins";

  private PluginJars() {
  }

  /** The jars of the property (path-separator list); none when unset. */
  static List<Path> fromProperty() {
    List<Path> jars = new ArrayList<>();
    for (String entry : System.getProperty(PROPERTY, "").split(File.pathSeparator)) {
      if (!entry.isBlank()) {
        jars.add(Path.of(entry));
      }
    }
    return jars;
  }

  /** The providers each jar declares, in jar order. */
  static List<LayerProvider> load(List<Path> jars) {
    List<LayerProvider> providers = new ArrayList<>();
    for (Path jar : jars) {
      KaffeeException.check(Files.isRegularFile(jar), "plugin jar %s: no such file", jar);
      URLClassLoader loader = new URLClassLoader(new URL[] {url(jar)}, PluginJars.class.getClassLoader());
      int found = 0;
      try {
        for (LayerProvider provider : ServiceLoader.load(LayerProvider.class, loader)) {
          if (provider.getClass().getClassLoader() == loader) {
            providers.add(provider);
            found++;
          }
        }
      } catch (java.util.ServiceConfigurationError e) {
        throw new KaffeeException("plugin jar " + jar + ": cannot load its LayerProvider: " + e.getMessage(), e);
      }
      KaffeeException.check(found > 0, "plugin jar %s declares no layers: it needs a class implementing "
          + "org.kaffee.core.LayerProvider named in META-INF/services/org.kaffee.core.LayerProvider", jar);
    }
    return providers;
  }

  /** "class (jar name)" for a plugin's class, the class alone for Kaffee's own. */
  static String origin(Class<?> type) {
    CodeSource source = type.getProtectionDomain().getCodeSource();
    if (!(type.getClassLoader() instanceof URLClassLoader) || source == null) {
      return type.getName();
    }
    return type.getName() + " from " + Path.of(source.getLocation().getPath()).getFileName();
  }

  private static URL url(Path jar) {
    try {
      return jar.toAbsolutePath().toUri().toURL();
    } catch (MalformedURLException e) {
      throw new KaffeeException("plugin jar " + jar + ": " + e.getMessage(), e);
    }
  }
}
