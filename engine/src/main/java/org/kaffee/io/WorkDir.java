package org.kaffee.io;

import java.nio.file.Path;

/**
 * The directory relative file names in prototxts are resolved against (Caffe resolves
 * them against the process's working directory). Defaults to the working directory;
 * tests and embedding applications point it elsewhere instead of changing directory.
 */
public final class WorkDir {
  private static volatile Path base = Path.of("");

  private WorkDir() {
  }

  public static Path resolve(String name) {
    Path p = Path.of(name);
    return p.isAbsolute() ? p : base.resolve(p);
  }

  public static void set(Path dir) {
    base = dir;
  }

  public static Path get() {
    return base;
  }
}
