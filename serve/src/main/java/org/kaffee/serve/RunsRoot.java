package org.kaffee.serve;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.kaffee.core.KaffeeException;

/**
 * The one directory the dashboard reads. Every path a client names is relative to it and is
 * refused when absolute, when it has a {@code ..} step, or when its real location (symbolic
 * links followed) lies outside the directory.
 */
public final class RunsRoot {
  /** How deep the listings look: runs/NAME/sub/file. */
  static final int MAX_DEPTH = 4;

  private final Path root;

  public RunsRoot(Path dir) {
    KaffeeException.check(Files.isDirectory(dir), "--runs: no such directory %s", dir);
    try {
      root = dir.toRealPath();
    } catch (IOException e) {
      throw new KaffeeException("--runs: cannot read " + dir + ": " + e.getMessage(), e);
    }
  }

  public Path path() {
    return root;
  }

  /** The file or directory a client names, checked to lie under the root. */
  Path resolve(String relative, String what) {
    if (relative == null || relative.isBlank()) {
      throw HttpProblem.badRequest("missing parameter '" + what + "'");
    }
    Path asked;
    try {
      asked = Path.of(relative);
    } catch (InvalidPathException e) {
      throw HttpProblem.badRequest(what + ": not a valid path: " + relative);
    }
    if (asked.isAbsolute() || relative.startsWith("/") || relative.startsWith("\\")) {
      throw HttpProblem.badRequest(what + ": absolute paths are refused; give a path under the runs directory");
    }
    for (Path step : asked) {
      if (step.toString().equals("..")) {
        throw HttpProblem.badRequest(what + ": '..' is refused; give a path under the runs directory");
      }
    }
    Path full = root.resolve(asked).normalize();
    if (!Files.exists(full)) {
      throw HttpProblem.notFound(what + ": no such file under the runs directory: " + relative);
    }
    Path real;
    try {
      real = full.toRealPath();
    } catch (IOException e) {
      throw HttpProblem.notFound(what + ": cannot read " + relative);
    }
    if (!real.startsWith(root)) {
      throw new HttpProblem(403, what + ": " + relative + " leads outside the runs directory");
    }
    return real;
  }

  /** A path under the root as clients name it. */
  String relative(Path path) {
    return root.relativize(path).toString().replace('\\', '/');
  }

  /**
   * Files or directories under the root matching, in path order, not entering hidden
   * directories, build output ({@code target}) or symbolic links.
   */
  List<Path> find(Predicate<Path> matches) {
    List<Path> found = new ArrayList<>();
    try {
      Files.walkFileTree(root, java.util.Set.of(), MAX_DEPTH, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
          String name = dir.getFileName() == null ? "" : dir.getFileName().toString();
          if (!dir.equals(root) && (name.startsWith(".") || name.equals("target"))) {
            return FileVisitResult.SKIP_SUBTREE;
          }
          if (!dir.equals(root) && matches.test(dir)) {
            found.add(dir);
            return FileVisitResult.SKIP_SUBTREE;
          }
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
          if (attrs.isRegularFile() && matches.test(file)) {
            found.add(file);
          }
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) {
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      throw new KaffeeException("cannot list " + root + ": " + e.getMessage(), e);
    }
    found.sort(null);
    return found;
  }
}
