package org.kaffee.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/** Builds plugin jars the way a user's Maven build would: javac against Kaffee, then a jar. */
public final class PluginJarBuilder {
  private PluginJarBuilder() {
  }

  /** Compiles a source tree ({@code src/main/java}) and packs it with its resources ({@code src/main/resources}). */
  public static Path build(Path project, Path jar) throws IOException {
    Map<String, byte[]> files = new java.util.TreeMap<>();
    Path resources = project.resolve("src/main/resources");
    if (Files.isDirectory(resources)) {
      try (Stream<Path> walk = Files.walk(resources)) {
        for (Path p : walk.filter(Files::isRegularFile).toList()) {
          files.put(resources.relativize(p).toString(), Files.readAllBytes(p));
        }
      }
    }
    return build(project.resolve("src/main/java"), files, jar);
  }

  /** Compiles every .java under {@code sources} and writes a jar of the classes plus {@code resources}. */
  public static Path build(Path sources, Map<String, byte[]> resources, Path jar) throws IOException {
    Path classes = Files.createTempDirectory(jar.getParent(), "classes");
    List<String> args = new ArrayList<>(List.of("-d", classes.toString(), "-cp",
        System.getProperty("java.class.path"), "-proc:none", "-nowarn"));
    try (Stream<Path> walk = Files.walk(sources)) {
      walk.filter(p -> p.toString().endsWith(".java")).forEach(p -> args.add(p.toString()));
    }
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    if (javac.run(null, null, null, args.toArray(String[]::new)) != 0) {
      throw new IllegalStateException("javac failed on " + sources);
    }
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
         Stream<Path> walk = Files.walk(classes)) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        put(out, classes.relativize(p).toString(), Files.readAllBytes(p));
      }
      for (Map.Entry<String, byte[]> e : resources.entrySet()) {
        put(out, e.getKey(), e.getValue());
      }
    }
    return jar;
  }

  private static void put(JarOutputStream out, String name, byte[] bytes) {
    try {
      out.putNextEntry(new JarEntry(name.replace('\\', '/')));
      out.write(bytes);
      out.closeEntry();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
