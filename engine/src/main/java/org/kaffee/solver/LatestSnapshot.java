package org.kaffee.solver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.kaffee.io.WorkDir;
import org.kaffee.proto.Caffe.SolverParameter;

/**
 * Finds the newest complete snapshot of a solver's snapshot_prefix: the solver state with the
 * highest iteration whose caffemodel is there too (a retried run resumes from it).
 */
public final class LatestSnapshot {
  private LatestSnapshot() {
  }

  public static Optional<Path> of(SolverParameter param) {
    if (!param.hasSnapshotPrefix()) {
      return Optional.empty();
    }
    Path prefix = WorkDir.resolve(param.getSnapshotPrefix()).toAbsolutePath();
    Path dir = prefix.getParent();
    Pattern name = Pattern.compile(Pattern.quote(prefix.getFileName().toString())
        + "_iter_(\\d+)\\.solverstate(\\.h5)?");
    if (dir == null || !Files.isDirectory(dir)) {
      return Optional.empty();
    }
    Path best = null;
    long bestIter = -1;
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Matcher m = name.matcher(f.getFileName().toString());
        if (!m.matches()) {
          continue;
        }
        long iter = Long.parseLong(m.group(1));
        String model = prefix.getFileName() + "_iter_" + iter + ".caffemodel"
            + (m.group(2) == null ? "" : ".h5");
        if (iter > bestIter && Files.isRegularFile(dir.resolve(model))) {
          best = f;
          bestIter = iter;
        }
      }
    } catch (IOException e) {
      return Optional.empty();
    }
    return Optional.ofNullable(best);
  }
}
