package org.kaffee.data;

import java.nio.file.Path;
import java.util.Locale;
import org.kaffee.core.KaffeeException;
import org.kaffee.log.Glog;

/**
 * A key/value store of serialized Datums as Caffe's db::DB: LMDB or LevelDB. Keys and values
 * are raw bytes; a {@link Cursor} walks them in key order (byte-wise) and can start over.
 */
public interface Database extends AutoCloseable {
  /** How to open: read an existing database, write to one (created if missing), or create a new one. */
  enum Mode { READ, WRITE, NEW }

  /** Adds or replaces one entry; written for good at the next {@link #commit()}. */
  void put(byte[] key, byte[] value);

  /** Makes the puts since the last commit durable. */
  void commit();

  /** A cursor positioned on the first entry (key order). */
  Cursor cursor();

  /** Where the database lives (for messages). */
  Path path();

  @Override
  void close();

  /** Iterates entries in key order. */
  interface Cursor extends AutoCloseable {
    /** Back to the first entry. */
    void seekToFirst();

    /** Moves to the next entry (invalid after the last one). */
    void next();

    /** Whether the cursor is on an entry. */
    boolean valid();

    byte[] key();

    byte[] value();

    @Override
    void close();
  }

  /**
   * Opens a database for reading; every command that reads one comes here. LMDB is read by the
   * pure-Java reader, never by native LMDB: it checks every page it follows against the file,
   * so a damaged file is an error naming it and cannot crash the process ({@link LmdbFileReader}).
   * LevelDB is iq80's pure-Java implementation.
   */
  static Database openForReading(String backend, Path path) {
    if (backend.equalsIgnoreCase("lmdb")) {
      LmdbFileReader reader = LmdbFileReader.open(path);
      Glog.info("Opened lmdb %s", path);
      return reader;
    }
    return open(backend, path, Mode.READ);
  }

  /** Opens a database with Caffe's backend names ("lmdb", "leveldb", any case). */
  static Database open(String backend, Path path, Mode mode) {
    String b = backend.toLowerCase(Locale.ROOT);
    switch (b) {
      case "lmdb":
        return new LmdbDatabase(path, mode);
      case "leveldb":
        return new LevelDbDatabase(path, mode);
      default:
        throw new KaffeeException("unknown database backend '" + backend + "' (lmdb or leveldb)");
    }
  }
}
