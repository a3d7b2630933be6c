package org.kaffee.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.kaffee.testing.LogCapture;

/** A thread's tap gets the lines it and its children write, as written; other threads' lines not. */
class GlogTapTest {
  @Test
  void aTapCopiesTheFormattedLinesOfItsThreadAndItsChildrenOnly() throws Exception {
    List<String> tapped = new CopyOnWriteArrayList<>();
    CountDownLatch tapSet = new CountDownLatch(1);
    String log = LogCapture.during(() -> {
      Thread stranger = new Thread(() -> {
        try {
          tapSet.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        Glog.info("a stranger's");
      });
      stranger.start();
      Glog.setTapOnThisThread(tapped::add);
      try {
        Glog.info("mine %d", 1);
        Thread child = new Thread(() -> Glog.warn("my child's"));
        child.start();
        child.join();
        tapSet.countDown();
        stranger.join();
      } finally {
        Glog.setTapOnThisThread(null);
      }
      Glog.info("after the tap");
    });
    assertEquals(2, tapped.size(), tapped.toString());
    assertTrue(tapped.get(0).matches("I\\d{4} [\\d:.]+ +\\d+ GlogTapTest\\.java:\\d+\\] mine 1"), tapped.get(0));
    assertTrue(tapped.get(1).startsWith("W") && tapped.get(1).endsWith("] my child's"), tapped.get(1));
    assertEquals(tapped, log.lines().limit(2).toList(), "the tap's copy differs from the log");
    assertTrue(log.contains("a stranger's") && log.contains("after the tap"), log);
  }
}
