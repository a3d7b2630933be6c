package org.kaffee.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.kaffee.log.Glog;
import org.kaffee.solver.Solver;
import org.kaffee.testing.LogCapture;

/**
 * The driver's log and control channel without Spark: rank 0's lines reach the driver's log
 * unchanged and all of them before its end closes; the driver's requests reach rank 0 in order,
 * also those made before it connected, and only the current attempt's; a connection without the
 * token gets nothing and writes nothing; an endless line is cut.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LogChannelTest {
  private final ConcurrentLinkedQueue<Solver.Action> signals = new ConcurrentLinkedQueue<>();
  private final Supplier<Solver.Action> actions = () -> {
    Solver.Action a = signals.poll();
    return a == null ? Solver.Action.NONE : a;
  };

  @Test
  void rankZerosLinesReachTheDriverUnchangedAndAllBeforeItsEndCloses() throws Exception {
    int lines = 2000;
    // one JVM: every line rank 0 writes is in the log twice, its own and the driver's copy
    String log = LogCapture.during(() -> {
      try (DriverChannel driver = DriverChannel.open("127.0.0.1", actions)) {
        driver.beginAttempt(0);
        Thread rankZero = new Thread(() -> {
          try (RankZeroChannel channel = RankZeroChannel.connect(driver.address(), 0, true)) {
            for (int i = 0; i < lines; i++) {
              Glog.info("Iteration %d, loss = %s", i, 1.0 / (i + 1));
            }
          }
          Glog.info("after the channel closed");
        });
        rankZero.start();
        rankZero.join();
        driver.awaitLines(0);
      }
    });
    Map<String, Long> counts = log.lines().filter(l -> l.contains("Iteration "))
        .collect(Collectors.groupingBy(l -> l, Collectors.counting()));
    assertEquals(lines, counts.size(), log);
    counts.forEach((line, n) -> assertEquals(2, n, "not forwarded unchanged exactly once: " + line));
    assertEquals(1, log.lines().filter(l -> l.endsWith("after the channel closed")).count(),
        "a line after close was forwarded");
  }

  @Test
  void requestsReachTheCurrentAttemptsRankZeroInOrderEvenWhenMadeBeforeItConnected() throws Exception {
    try (DriverChannel driver = DriverChannel.open("127.0.0.1", actions)) {
      driver.beginAttempt(1);
      signals.add(Solver.Action.SNAPSHOT);
      signals.add(Solver.Action.STOP);
      await(driver::stopRequested);
      try (RankZeroChannel stale = RankZeroChannel.connect(driver.address(), 0, false);
          RankZeroChannel current = RankZeroChannel.connect(driver.address(), 1, false)) {
        assertEquals(List.of(Solver.Action.SNAPSHOT, Solver.Action.STOP), take(current, 2));
        signals.add(Solver.Action.SNAPSHOT);
        assertEquals(List.of(Solver.Action.SNAPSHOT), take(current, 1));
        assertEquals(Solver.Action.NONE, stale.nextAction(), "a failed attempt's rank 0 got a request");
      }
    }
  }

  @Test
  void aConnectionWithoutTheTokenIsRefusedAndALongLineIsCut() throws Exception {
    String log = LogCapture.during(() -> {
      try (DriverChannel driver = DriverChannel.open("127.0.0.1", actions)) {
        driver.beginAttempt(0);
        try (Socket stranger = new Socket("127.0.0.1", driver.address().port())) {
          OutputStream out = stranger.getOutputStream();
          out.write(("not-the-token 0\nI0101 00:00:00.000000     1 x.java:1] injected\n")
              .getBytes(StandardCharsets.US_ASCII));
          out.flush();
          signals.add(Solver.Action.STOP);
          await(driver::stopRequested);
          assertEquals(-1, stranger.getInputStream().read(), "the stranger was sent something");
        }
        try (Socket peer = new Socket("127.0.0.1", driver.address().port())) {
          OutputStream out = peer.getOutputStream();
          out.write((driver.address().token() + " 0\n" + "x".repeat(3 * ChannelIo.MAX_LINE) + "\nlast\n")
              .getBytes(StandardCharsets.US_ASCII));
          out.flush();
          peer.shutdownOutput();
          driver.awaitLines(0);
        }
      }
    });
    assertFalse(log.contains("injected"), log);
    assertTrue(log.contains("refused a connection"), log);
    assertTrue(log.contains("\n" + "x".repeat(ChannelIo.MAX_LINE) + "\nlast\n"), "the long line was not cut at the bound");
  }

  private static List<Solver.Action> take(RankZeroChannel channel, int n) throws InterruptedException {
    List<Solver.Action> got = new ArrayList<>();
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (got.size() < n && System.nanoTime() < end) {
      Solver.Action a = channel.nextAction();
      if (a == Solver.Action.NONE) {
        Thread.sleep(10);
      } else {
        got.add(a);
      }
    }
    return got;
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.getAsBoolean() && System.nanoTime() < end) {
      Thread.sleep(10);
    }
    assertTrue(condition.getAsBoolean(), "timed out");
  }
}
