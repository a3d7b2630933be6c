package org.kaffee.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.kaffee.core.KaffeeException;
import org.kaffee.log.Glog;
import org.lmdbjava.ByteArrayProxy;
import org.lmdbjava.Dbi;
import org.lmdbjava.DbiFlags;
import org.lmdbjava.Env;
import org.lmdbjava.EnvFlags;
import org.lmdbjava.Txn;

/**
 * Caffe's LMDB database through native LMDB (lmdbjava): a directory holding data.mdb and
 * lock.mdb, the unnamed database, a 1 TB map (virtual address space only, as in Caffe's
 * db_lmdb.cpp). Reading uses one read-only transaction for the life of a cursor. The tools
 * write with it; commands read with {@link LmdbFileReader}. An existing data.mdb is checked
 * page by page before native code maps it ({@link LmdbTreeCheck}).
 */
public final class LmdbDatabase implements Database {
  /** Caffe's LMDB_MAP_SIZE on 64-bit systems. */
  static final long MAP_SIZE = 1L << 40;

  private final Path path;
  private final Env<byte[]> env;
  private final Dbi<byte[]> dbi;
  private final boolean readOnly;
  private Txn<byte[]> writeTxn;

  public LmdbDatabase(Path path, Database.Mode mode) {
    this.path = path;
    this.readOnly = mode == Database.Mode.READ;
    try {
      if (mode == Database.Mode.NEW) {
        if (Files.exists(path)) {
          throw new KaffeeException(path + ": database already exists (remove it or choose another name)");
        }
        Files.createDirectories(path);
      } else if (mode == Database.Mode.WRITE) {
        Files.createDirectories(path);
      }
      if (mode == Database.Mode.READ || Files.exists(path.resolve("data.mdb"))) {
        // native LMDB trusts the file: a page past its end is a SIGBUS, so Java checks it first
        LmdbTreeCheck.check(LmdbMeta.read(path));
      }
    } catch (IOException e) {
      throw new KaffeeException(path + ": cannot create LMDB directory: " + e.getMessage(), e);
    }
    Env<byte[]> opened = null;
    try {
      Env.Builder<byte[]> builder = Env.create(ByteArrayProxy.PROXY_BA).setMapSize(MAP_SIZE).setMaxDbs(1)
          .setMaxReaders(126);
      opened = readOnly ? builder.open(path.toFile(), EnvFlags.MDB_RDONLY_ENV, EnvFlags.MDB_NOTLS)
          : builder.open(path.toFile(), EnvFlags.MDB_NOTLS);
      dbi = readOnly ? opened.openDbi((byte[]) null) : opened.openDbi((byte[]) null, DbiFlags.MDB_CREATE);
    } catch (RuntimeException e) {
      if (opened != null) {
        opened.close();  // its map and lock file would stay until the process ends
      }
      throw new KaffeeException(path + ": cannot open LMDB database: " + e.getMessage(), e);
    }
    env = opened;
    Glog.info("Opened lmdb %s", path);
  }

  @Override
  public Path path() {
    return path;
  }

  @Override
  public void put(byte[] key, byte[] value) {
    KaffeeException.check(!readOnly, "%s: opened for reading only", path);
    try {
      if (writeTxn == null) {
        writeTxn = env.txnWrite();
      }
      dbi.put(writeTxn, key, value);
    } catch (RuntimeException e) {
      throw new KaffeeException(path + ": LMDB put failed: " + e.getMessage(), e);
    }
  }

  @Override
  public void commit() {
    if (writeTxn != null) {
      try {
        writeTxn.commit();
      } catch (RuntimeException e) {
        throw new KaffeeException(path + ": LMDB commit failed: " + e.getMessage(), e);
      } finally {
        writeTxn.close();
        writeTxn = null;
      }
    }
  }

  @Override
  public Database.Cursor cursor() {
    Txn<byte[]> txn = env.txnRead();
    org.lmdbjava.Cursor<byte[]> c = dbi.openCursor(txn);
    return new Database.Cursor() {
      private boolean valid = c.first();

      @Override
      public void seekToFirst() {
        valid = c.first();
      }

      @Override
      public void next() {
        valid = c.next();
      }

      @Override
      public boolean valid() {
        return valid;
      }

      @Override
      public byte[] key() {
        return c.key();
      }

      @Override
      public byte[] value() {
        return c.val();
      }

      @Override
      public void close() {
        c.close();
        txn.close();
      }
    };
  }

  @Override
  public void close() {
    if (env.isClosed()) {
      return;
    }
    if (writeTxn != null) {
      commit();
    }
    dbi.close();
    env.close();
  }
}
