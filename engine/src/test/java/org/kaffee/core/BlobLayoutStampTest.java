package org.kaffee.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.IntBuffer;
import java.util.Collections;
import java.util.IdentityHashMap;
import org.junit.jupiter.api.Test;

/** The layout stamp pycaffe keeps its numpy views by: it moves exactly when data() or diff() become other memory or another shape. */
class BlobLayoutStampTest {
  private final Blob blob = new Blob(2, 3);
  private final IntBuffer stamp = blob.layoutStamp();

  private int moves(Runnable change) {
    int before = stamp.get(0);
    change.run();
    return stamp.get(0) - before;
  }

  @Test
  void isOneDirectIntMadeOnce() {
    assertTrue(stamp.isDirect());
    assertEquals(1, stamp.capacity());
    assertSame(stamp, blob.layoutStamp());
  }

  @Test
  void movesOnAReshapeToAnotherShapeOnly() {
    assertEquals(0, moves(() -> blob.reshape(2, 3)));
    assertEquals(1, moves(() -> blob.reshape(3, 2)));
    assertEquals(1, moves(() -> blob.reshape(4, 5)));
  }

  @Test
  void movesWhenSharingAnotherBlobsMemoryButNotWhenAlreadyShared() {
    Blob other = new Blob(2, 3);
    assertEquals(1, moves(() -> blob.shareData(other)));
    assertEquals(0, moves(() -> blob.shareData(other)));
    assertEquals(1, moves(() -> blob.shareDiff(other)));
  }

  @Test
  void movesOnRelease() {
    assertNotEquals(0, moves(() -> blob.release(Collections.newSetFromMap(new IdentityHashMap<>()))));
  }
}
