package org.kaffee.spark;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.apache.commons.io.FileUtils;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.kaffee.core.KaffeeException;

/**
 * Makes a data path readable as a local file on an executor. Plain paths (local disk, NFS) are
 * used as they are; URIs such as {@code hdfs://} and {@code s3a://} (or {@code file:}) go through
 * Hadoop's FileSystem and are copied once per executor JVM to its local disk, because LMDB and
 * LevelDB need a local file (as CaffeOnSpark did).
 */
final class ExecutorFiles {
  private static final Map<String, Path> COPIES = new ConcurrentHashMap<>();

  private ExecutorFiles() {
  }

  static Path local(String pathOrUri) {
    URI uri = URI.create(pathOrUri.replace(" ", "%20"));
    if (uri.getScheme() == null || uri.getScheme().length() == 1) {
      return Path.of(pathOrUri);
    }
    return COPIES.computeIfAbsent(pathOrUri, ExecutorFiles::copy);
  }

  /**
   * Runs {@code body} on a local copy of a database only this task opens: LevelDB locks its
   * folder, so two tasks (or executors on one NFS folder) cannot open the same one; LMDB is
   * read without a lock and used in place.
   */
  static <T> T withDatabase(String pathOrUri, String backend, Function<Path, T> body) {
    Path db = local(pathOrUri);
    if (!backend.equalsIgnoreCase("leveldb")) {
      return body.apply(db);
    }
    Path copy = null;
    try {
      copy = Files.createTempDirectory("kaffee-leveldb");
      FileUtils.copyDirectory(db.toFile(), copy.toFile());
      return body.apply(copy);
    } catch (IOException e) {
      throw new KaffeeException(pathOrUri + ": cannot copy the LevelDB database for this task: " + e.getMessage(), e);
    } finally {
      if (copy != null) {
        FileUtils.deleteQuietly(copy.toFile());
      }
    }
  }

  private static Path copy(String uri) {
    try {
      Path dir = Files.createTempDirectory("kaffee-data");
      org.apache.hadoop.fs.Path source = new org.apache.hadoop.fs.Path(uri);
      FileSystem fs = source.getFileSystem(new Configuration());
      Path target = dir.resolve(source.getName());
      fs.copyToLocalFile(false, source, new org.apache.hadoop.fs.Path(target.toUri()), true);
      return target;
    } catch (IOException | RuntimeException e) {
      throw new KaffeeException(uri + ": cannot copy to the executor's local disk: " + e.getMessage(), e);
    }
  }
}
