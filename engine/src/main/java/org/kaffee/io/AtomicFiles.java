package org.kaffee.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.kaffee.core.KaffeeException;

/**
 * Files that appear under their final names together or not at all. Each is first written
 * to {@code NAME.tmp} in its own directory; {@link #commit} renames them into place in the
 * order they were written, and only after every one was written completely. A failed write
 * (a full disk, a read-only directory) therefore changes no final name. Only a process killed
 * between two renames can leave the earlier files without the later ones, so callers write
 * the file that refers to the others (a solverstate naming its caffemodel) last. Before the
 * renames every file is fsynced, and after each rename its directory, so the same holds after
 * a power cut, not only after a killed process.
 *
 * <p>{@link #replace} writes a single file the same way for callers that report failures
 * in their own words.
 */
public final class AtomicFiles {
  /** Writes one file's content to the temporary path it is given. */
  public interface Writer {
    void write(Path tmp) throws IOException;
  }

  private final List<Path> targets = new ArrayList<>();
  private final List<Path> temps = new ArrayList<>();

  /** Writes {@code path.tmp}; on failure removes every temporary file of this set. */
  public AtomicFiles write(Path path, Writer writer) {
    Path target = path.toAbsolutePath();
    Path tmp = temporary(target);
    targets.add(target);
    temps.add(tmp);
    try {
      Files.createDirectories(target.getParent());
      writer.write(tmp);
    } catch (IOException | RuntimeException e) {
      deleteAll(temps);
      throw new KaffeeException(path + ": cannot write: " + reason(e), e);
    }
    return this;
  }

  /**
   * Renames every written file into place. When a rename fails the files already renamed
   * are removed again (they would be out of step with the ones that are missing).
   */
  public void commit() {
    // every file's bytes on disk before any name changes: after a power cut a final name
    // never holds a file whose data had not reached the disk (a rename may be journaled first)
    for (int i = 0; i < temps.size(); i++) {
      try {
        sync(temps.get(i));
      } catch (IOException e) {
        deleteAll(temps);
        throw new KaffeeException(targets.get(i) + ": cannot write: " + reason(e), e);
      }
    }
    for (int i = 0; i < targets.size(); i++) {
      try {
        move(temps.get(i), targets.get(i));
      } catch (IOException e) {
        deleteAll(targets.subList(0, i));
        deleteAll(temps.subList(i, temps.size()));
        throw new KaffeeException(targets.get(i) + ": cannot write: " + reason(e), e);
      }
      try {
        // each rename durable before the next: the file written last (the one naming the
        // others) never survives a power cut without them
        syncDirectory(targets.get(i).getParent());
      } catch (IOException e) {
        deleteAll(targets.subList(0, i + 1));
        deleteAll(temps.subList(i + 1, temps.size()));
        throw new KaffeeException(targets.get(i) + ": cannot write: " + reason(e), e);
      }
    }
  }

  /**
   * Writes one file through {@code path.tmp} and renames it into place. The writer's
   * exception, or the rename's, comes out unchanged (the caller words the message) and the
   * temporary file is removed; the old file stays as it was. Creates no directories: tools
   * that refuse a missing output directory check it first.
   */
  public static void replace(Path path, Writer writer) throws IOException {
    Path target = path.toAbsolutePath();
    Path tmp = temporary(target);
    try {
      writer.write(tmp);
      move(tmp, target);
    } finally {
      deleteAll(List.of(tmp));
    }
  }

  private static Path temporary(Path target) {
    return target.resolveSibling(target.getFileName() + ".tmp");
  }

  private static void move(Path tmp, Path target) throws IOException {
    try {
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static void sync(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.force(true);
    }
  }

  /**
   * fsync of a directory, which makes the renames in it durable. Some file systems refuse it
   * (EINVAL, as some network and FUSE file systems do): there nothing more can be done, and the
   * snapshot is as durable as the file system makes it.
   */
  private static void syncDirectory(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      if (!"Invalid argument".equals(e.getMessage())) {
        throw e;
      }
    }
  }

  private static void deleteAll(List<Path> paths) {
    for (Path p : paths) {
      try {
        Files.deleteIfExists(p);
      } catch (IOException ignored) {
        // the error that stopped the write is the one to report
      }
    }
  }

  /** The exception's message; a file-system error that gives only a path also gets its type. */
  private static String reason(Exception e) {
    if (e instanceof FileSystemException f && f.getReason() == null) {
      return f.getMessage() + " (" + e.getClass().getSimpleName() + ")";
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
