package org.kaffee.data;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;
import org.iq80.leveldb.CompressionType;
import org.iq80.leveldb.DB;
import org.iq80.leveldb.DBIterator;
import org.iq80.leveldb.Options;
import org.iq80.leveldb.WriteBatch;
import org.iq80.leveldb.impl.Iq80DBFactory;
import org.kaffee.core.KaffeeException;
import org.kaffee.log.Glog;

/**
 * Caffe's LevelDB database (iq80's pure-Java LevelDB, Snappy tables). Google LevelDB since
 * 1.14 names table files {@code NNNNNN.ldb}; iq80 only knows {@code .sst}, so each
 * {@code .ldb} without an {@code .sst} twin gets a hard link under the old name (LevelDB
 * itself still accepts {@code .sst}, so the directory stays readable by Caffe).
 */
public final class LevelDbDatabase implements Database {
  private final Path path;
  private final boolean shared;
  private final DB db;
  private WriteBatch batch;

  public LevelDbDatabase(Path path, Database.Mode mode) {
    this.path = path;
    if (mode == Database.Mode.READ) {
      if (!Files.isDirectory(path) || !Files.exists(path.resolve("CURRENT"))) {
        throw new KaffeeException(path + ": no such LevelDB database (expected a directory with CURRENT)");
      }
      linkLdbTables(path);
    } else if (mode == Database.Mode.NEW && Files.exists(path)) {
      throw new KaffeeException(path + ": database already exists (remove it or choose another name)");
    }
    Options options = new Options()
        .createIfMissing(mode != Database.Mode.READ)
        .errorIfExists(mode == Database.Mode.NEW)
        .blockSize(65536)
        .writeBufferSize(268435456)
        .maxOpenFiles(100)
        .compressionType(CompressionType.SNAPPY);
    shared = mode == Database.Mode.READ;
    try {
      db = shared ? LevelDbReaders.acquire(path, () -> Iq80DBFactory.factory.open(path.toFile(), options))
          : Iq80DBFactory.factory.open(path.toFile(), options);
    } catch (IOException | RuntimeException e) {
      throw new KaffeeException(path + ": cannot open LevelDB database: " + e.getMessage(), e);
    }
    Glog.info("Opened leveldb %s", path);
  }

  private static void linkLdbTables(Path dir) {
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.ldb")) {
      for (Path ldb : files) {
        String name = ldb.getFileName().toString();
        Path sst = dir.resolve(name.substring(0, name.length() - 4) + ".sst");
        if (!Files.exists(sst)) {
          try {
            Files.createLink(sst, ldb);
          } catch (IOException | UnsupportedOperationException e) {
            Files.copy(ldb, sst);
          }
        }
      }
    } catch (IOException e) {
      throw new KaffeeException(dir + ": cannot prepare LevelDB tables for reading: " + e.getMessage(), e);
    }
  }

  @Override
  public Path path() {
    return path;
  }

  @Override
  public void put(byte[] key, byte[] value) {
    if (batch == null) {
      batch = db.createWriteBatch();
    }
    batch.put(key, value);
  }

  @Override
  public void commit() {
    if (batch != null) {
      try {
        db.write(batch);
        batch.close();
      } catch (IOException | RuntimeException e) {
        throw new KaffeeException(path + ": LevelDB write failed: " + e.getMessage(), e);
      }
      batch = null;
    }
  }

  @Override
  public Database.Cursor cursor() {
    DBIterator it = read(() -> {
      DBIterator i = db.iterator();
      i.seekToFirst();
      return i;
    });
    return new Database.Cursor() {
      private Map.Entry<byte[], byte[]> current = read(() -> it.hasNext() ? it.next() : null);

      @Override
      public void seekToFirst() {
        current = read(() -> {
          it.seekToFirst();
          return it.hasNext() ? it.next() : null;
        });
      }

      @Override
      public void next() {
        current = read(() -> it.hasNext() ? it.next() : null);
      }

      @Override
      public boolean valid() {
        return current != null;
      }

      @Override
      public byte[] key() {
        return current.getKey();
      }

      @Override
      public byte[] value() {
        return current.getValue();
      }

      @Override
      public void close() {
        try {
          it.close();
        } catch (IOException e) {
          // nothing to do on close
        }
      }
    };
  }

  /**
   * Runs a read of the tables, which iq80 opens and decodes lazily: a corrupt table, block or
   * log surfaces here as whatever unchecked exception the decoding met.
   */
  private <T> T read(Supplier<T> reading) {
    try {
      return reading.get();
    } catch (RuntimeException e) {
      Throwable cause = e;
      while (cause.getCause() != null && cause.getCause() != cause) {
        cause = cause.getCause();
      }
      throw new KaffeeException(path + ": corrupt LevelDB database: " + cause.getMessage(), e);
    }
  }

  @Override
  public void close() {
    commit();
    try {
      if (shared) {
        LevelDbReaders.release(path);
      } else {
        db.close();
      }
    } catch (IOException e) {
      throw new KaffeeException(path + ": cannot close LevelDB database: " + e.getMessage(), e);
    }
  }
}
