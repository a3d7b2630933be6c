package org.kaffee.spark;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.kaffee.log.Glog;
import org.kaffee.solver.Solver;

/**
 * Rank 0's end of the driver's log and control channel ({@link DriverChannel}), open for the
 * life of its task: the lines the task's thread (and the threads it starts) logs are queued and
 * a sender thread writes them to the driver, so the training thread never waits on the network;
 * the actions the driver sends are handed to the solver one per iteration. {@link #close()}
 * sends what is queued before the task returns. When the driver cannot be reached the task
 * trains anyway, its log on its executor, and says so there.
 */
final class RankZeroChannel implements AutoCloseable {
  private static final int CONNECT_TIMEOUT_MILLIS = 10_000;
  private static final long DRAIN_SECONDS = 30;
  /** Marks the end of the queue for the sender: its own object, compared by identity, never a log line. */
  private static final String END = new String("end");

  private final Socket socket;
  private final BlockingQueue<String> lines = new ArrayBlockingQueue<>(8192);
  private final ConcurrentLinkedQueue<Solver.Action> actions = new ConcurrentLinkedQueue<>();
  private final Thread sender;
  private final boolean forwardLog;
  private volatile boolean closed;

  private RankZeroChannel(Socket socket, boolean forwardLog) {
    this.socket = socket;
    this.forwardLog = forwardLog;
    this.sender = ChannelIo.daemon("kaffee-rank0-log", this::sendLoop);
  }

  /**
   * Connects as rank 0 of {@code attempt}. With {@code forwardLog} (an executor in a JVM other
   * than the driver's) the calling thread's log lines go to the driver from now on.
   */
  static RankZeroChannel connect(ChannelAddress address, int attempt, boolean forwardLog) {
    Socket socket = new Socket();
    try {
      socket.connect(new InetSocketAddress(address.host(), address.port()), CONNECT_TIMEOUT_MILLIS);
      socket.setTcpNoDelay(true);
      OutputStream out = socket.getOutputStream();
      ChannelIo.write(out, address.token() + " " + attempt);
      out.flush();
    } catch (IOException e) {
      Glog.warn("cannot reach the driver's log channel at %s: %s; rank 0's log stays on this executor"
          + " and the driver's signals do not reach the job", address, e.getMessage());
      ChannelIo.closeQuietly(socket);
      return new RankZeroChannel(null, false);
    }
    RankZeroChannel channel = new RankZeroChannel(socket, forwardLog);
    ChannelIo.daemon("kaffee-rank0-actions", channel::receiveLoop).start();
    if (forwardLog) {
      channel.sender.start();
      Glog.setTapOnThisThread(channel::forward);
    }
    return channel;
  }

  /** The next action the driver asked for, or NONE: the solver asks once per iteration. */
  Solver.Action nextAction() {
    Solver.Action next = actions.poll();
    return next == null ? Solver.Action.NONE : next;
  }

  private void forward(String line) {
    try {
      while (!closed && !lines.offer(line, 1, TimeUnit.SECONDS)) {
        // the driver reads slowly: wait rather than drop a line, unless the channel is gone
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void sendLoop() {
    try (OutputStream out = new BufferedOutputStream(socket.getOutputStream())) {
      for (String line = lines.take(); line != END; line = lines.take()) {
        ChannelIo.write(out, line);
        if (lines.isEmpty()) {
          out.flush();  // live: a line reaches the driver as soon as nothing follows it
        }
      }
    } catch (IOException e) {
      closed = true;  // the driver is gone; the training goes on, its lines stay here
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void receiveLoop() {
    try {
      InputStream in = new BufferedInputStream(socket.getInputStream());
      for (String line; (line = ChannelIo.read(in, 64)) != null; ) {
        switch (line.toUpperCase(Locale.ROOT)) {
          case "STOP" -> actions.add(Solver.Action.STOP);
          case "SNAPSHOT" -> actions.add(Solver.Action.SNAPSHOT);
          default -> Glog.warn("log channel: unknown request from the driver: %s", line);
        }
      }
    } catch (IOException e) {
      // the connection closed: no more requests
    }
  }

  /** Sends the queued lines (waiting at most {@value #DRAIN_SECONDS} s), then closes the connection. */
  @Override
  public void close() {
    if (socket == null) {
      return;
    }
    if (forwardLog) {
      Glog.setTapOnThisThread(null);
      forward(END);
      try {
        sender.join(TimeUnit.SECONDS.toMillis(DRAIN_SECONDS));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    closed = true;
    ChannelIo.closeQuietly(socket);
  }
}
