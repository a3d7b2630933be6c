package org.kaffee.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.iq80.leveldb.DB;

/**
 * One open handle per LevelDB directory read in this process: LevelDB locks a directory for
 * its one opener, so data-parallel replicas (threads) reading the same database share the
 * handle, each with its own iterator, and the last to close it closes it.
 */
final class LevelDbReaders {
  /** Opens a database; called at most once per directory while it is shared. */
  interface Opener {
    DB open() throws IOException;
  }

  private static final class Entry {
    final DB db;
    int users;

    Entry(DB db) {
      this.db = db;
    }
  }

  private static final Map<Path, Entry> OPEN = new HashMap<>();

  private LevelDbReaders() {
  }

  static synchronized DB acquire(Path path, Opener opener) throws IOException {
    Path key = path.toAbsolutePath().normalize();
    Entry e = OPEN.get(key);
    if (e == null) {
      e = new Entry(opener.open());
      OPEN.put(key, e);
    }
    e.users++;
    return e.db;
  }

  /** Closes the handle when its last user releases it. */
  static synchronized void release(Path path) throws IOException {
    Path key = path.toAbsolutePath().normalize();
    Entry e = OPEN.get(key);
    if (e != null && --e.users == 0) {
      OPEN.remove(key);
      e.db.close();
    }
  }
}
