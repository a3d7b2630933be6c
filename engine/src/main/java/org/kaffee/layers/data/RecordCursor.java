package org.kaffee.layers.data;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.kaffee.core.KaffeeException;
import org.kaffee.data.Database;
import org.kaffee.io.WorkDir;
import org.kaffee.log.Glog;
import org.kaffee.proto.Caffe.DataParameter;

/**
 * A data layer's walk through the records of its {@code data_param.source} in key order,
 * starting over after the last one (Caffe's DataReader). The database is opened through the
 * checked readers ({@link Database#openForReading}); an empty one is an error.
 */
final class RecordCursor implements AutoCloseable {
  private final String owner;
  private final String source;
  private final Database db;
  private final Database.Cursor cursor;

  private RecordCursor(String owner, String source, Database db, Database.Cursor cursor) {
    this.owner = owner;
    this.source = source;
    this.db = db;
    this.cursor = cursor;
  }

  /** Opens {@code p.source}; {@code owner} ("layer x (Type)") starts every message. */
  static RecordCursor open(DataParameter p, String owner) {
    KaffeeException.check(p.hasSource(), "%s: data_param.source is required", owner);
    Path path = WorkDir.resolve(p.getSource());
    String backend = p.getBackend() == DataParameter.DB.LMDB ? "lmdb" : "leveldb";
    Database db;
    try {
      db = Database.openForReading(backend, path);
    } catch (KaffeeException e) {
      throw new KaffeeException(owner + ": source " + e.getMessage()
          + (backend.equals("leveldb") && !p.hasBackend() ? " (backend defaults to LEVELDB; add backend: LMDB?)" : ""),
          e);
    }
    Database.Cursor cursor = db.cursor();
    if (!cursor.valid()) {
      cursor.close();
      db.close();
      throw new KaffeeException(owner + ": source " + path + ": the database is empty");
    }
    return new RecordCursor(owner, p.getSource(), db, cursor);
  }

  byte[] value() {
    return cursor.value();
  }

  /** The current record for messages: owner, source and key. */
  String what() {
    return owner + ": source " + source + ", key '" + new String(cursor.key(), StandardCharsets.ISO_8859_1) + "'";
  }

  /** To the next record, or back to the first after the last. */
  void advance() {
    cursor.next();
    if (!cursor.valid()) {
      Glog.info("Restarting data prefetching from start.");
      cursor.seekToFirst();
    }
  }

  @Override
  public void close() {
    cursor.close();
    db.close();
  }
}
