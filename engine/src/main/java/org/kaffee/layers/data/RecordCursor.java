package org.kaffee.layers.data;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import org.kaffee.core.KaffeeException;
import org.kaffee.data.Database;
import org.kaffee.io.WorkDir;
import org.kaffee.log.Glog;
import org.kaffee.proto.Caffe.DataParameter;
import org.kaffee.proto.KaffeeState.LayerState;

/**
 * A data layer's walk through the records of its {@code data_param.source} in key order,
 * starting over after the last one (Caffe's DataReader). The database is opened through the
 * checked readers ({@link Database#openForReading}); an empty one is an error. Its resume
 * position is the key of the current record and how many records of this pass precede it.
 */
final class RecordCursor implements AutoCloseable {
  private final String owner;
  private final String source;
  private final Database db;
  private final Database.Cursor cursor;
  /** Records of the current pass before the cursor. */
  private long read;

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

  byte[] key() {
    return cursor.key();
  }

  /** To the next record, or back to the first after the last. */
  void advance() {
    cursor.next();
    read++;
    if (!cursor.valid()) {
      Glog.info("Restarting data prefetching from start.");
      cursor.seekToFirst();
      read = 0;
    }
  }

  /** Adds this position (key, record count) to a layer's resume state. */
  LayerState.Builder position(LayerState.Builder state) {
    return state.setKey(ByteString.copyFrom(cursor.key())).addPosition(read);
  }

  /** Walks to a saved position and checks the key there: a changed database is named. */
  void restore(LayerState state) {
    KaffeeException.check(state.getPositionCount() >= 1 && state.hasKey(),
        "%s: the resume state holds no database position", owner);
    long wanted = state.getPosition(0);
    cursor.seekToFirst();
    read = 0;
    while (read < wanted && cursor.valid()) {
      cursor.next();
      read++;
    }
    byte[] expected = state.getKey().toByteArray();
    KaffeeException.check(cursor.valid() && Arrays.equals(cursor.key(), expected), "%s: source %s: the snapshot"
        + " continues at record %d, key '%s', but the database %s (changed since the snapshot? --resume_data=restart"
        + " starts over)", owner, source, wanted, new String(expected, StandardCharsets.ISO_8859_1),
        cursor.valid() ? "has key '" + new String(cursor.key(), StandardCharsets.ISO_8859_1) + "' there"
            : "has only " + read + " records");
  }

  @Override
  public void close() {
    cursor.close();
    db.close();
  }
}
