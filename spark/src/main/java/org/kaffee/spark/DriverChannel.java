package org.kaffee.spark;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.kaffee.core.KaffeeException;
import org.kaffee.log.Glog;
import org.kaffee.solver.Solver;

/**
 * The driver's end of the log and control channel of one distributed training run: a server
 * socket on the driver's own address (spark.driver.host, never every interface) that rank 0's
 * task of each attempt connects to with the job's random token. Rank 0's glog lines are written
 * to the driver's log unchanged, as they arrive; the actions the driver's signals request
 * ({@code actions}, polled) go to the current attempt's rank 0, or wait for it to connect.
 */
final class DriverChannel implements AutoCloseable {
  private static final Duration POLL = Duration.ofMillis(50);
  /** How long a connection may take to present its token. */
  private static final int HELLO_TIMEOUT_MILLIS = 10_000;
  /** How long the driver waits, after a stage, for rank 0's last lines (already sent) to be read. */
  private static final Duration DRAIN = Duration.ofSeconds(30);
  /**
   * How long it waits for rank 0's connection when none was seen: rank 0 connects before it
   * trains, so none by the stage's end means it could not (and said so on its executor).
   */
  private static final Duration LATE_CONNECTION = Duration.ofSeconds(2);

  private final ServerSocket server;
  private final ChannelAddress address;
  private final Supplier<Solver.Action> actions;
  private final Deque<Solver.Action> pending = new ArrayDeque<>();
  /** Each attempt's rank-0 reader thread, to wait for its last lines. */
  private final Map<Integer, Thread> readers = new ConcurrentHashMap<>();
  private final Thread acceptor;
  private final Thread relay;
  private int attempt;
  private OutputStream current;
  private volatile boolean stopRequested;
  private volatile boolean closed;

  private DriverChannel(ServerSocket server, String host, Supplier<Solver.Action> actions) {
    this.server = server;
    byte[] secret = new byte[24];
    new SecureRandom().nextBytes(secret);
    this.address = new ChannelAddress(host, server.getLocalPort(), HexFormat.of().formatHex(secret));
    this.actions = actions;
    this.acceptor = ChannelIo.daemon("kaffee-driver-channel", this::acceptLoop);
    this.relay = ChannelIo.daemon("kaffee-driver-signals", this::relayLoop);
  }

  /** Listens on {@code host} (the driver's address as Spark knows it) on a free port. */
  static DriverChannel open(String host, Supplier<Solver.Action> actions) {
    ServerSocket server = null;
    try {
      server = new ServerSocket();
      server.bind(new InetSocketAddress(InetAddress.getByName(host), 0));
    } catch (IOException e) {
      ChannelIo.closeQuietly(server);
      throw new KaffeeException("cannot open the log channel on the driver's address " + host
          + " (spark.driver.host): " + e.getMessage(), e);
    }
    DriverChannel channel = new DriverChannel(server, host, actions);
    channel.acceptor.start();
    channel.relay.start();
    return channel;
  }

  ChannelAddress address() {
    return address;
  }

  /** From now on only rank 0 of {@code number} receives actions (a failed attempt's is gone). */
  synchronized void beginAttempt(int number) {
    attempt = number;
    current = null;
  }

  /** Whether a signal asked the job to stop: a stage that then fails is not retried. */
  boolean stopRequested() {
    return stopRequested;
  }

  /**
   * Waits until every line rank 0 of {@code number} sent has been written to the log: its task
   * flushes and closes the connection before it returns, so this ends with the stage.
   */
  void awaitLines(int number) {
    long late = System.nanoTime() + LATE_CONNECTION.toNanos();
    try {
      Thread reader;
      while ((reader = readers.get(number)) == null && System.nanoTime() < late) {
        Thread.sleep(POLL.toMillis());  // the connection may still be in the accept queue
      }
      if (reader != null) {
        reader.join(DRAIN.toMillis());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        Socket socket = server.accept();
        ChannelIo.daemon("kaffee-driver-channel-" + socket.getRemoteSocketAddress(), () -> serve(socket)).start();
      } catch (IOException e) {
        if (!closed) {
          Glog.warn("log channel: accept failed: %s", e.getMessage());
        }
      }
    }
  }

  /** One connection: check the token, then copy its lines to the log until it ends. */
  private void serve(Socket socket) {
    try (socket) {
      socket.setSoTimeout(HELLO_TIMEOUT_MILLIS);
      InputStream in = new BufferedInputStream(socket.getInputStream());
      String hello = ChannelIo.read(in, 256);
      int number = attemptOf(hello);
      if (number < 0) {
        Glog.warn("log channel: refused a connection from %s without the job's token",
            socket.getRemoteSocketAddress());
        return;
      }
      socket.setSoTimeout(0);
      readers.put(number, Thread.currentThread());
      attach(number, socket.getOutputStream());
      for (String line; (line = ChannelIo.read(in, ChannelIo.MAX_LINE)) != null; ) {
        Glog.writeFormatted(line);
      }
    } catch (IOException e) {
      if (!closed && !(e instanceof SocketException)) {
        Glog.warn("log channel: %s: %s", socket.getRemoteSocketAddress(), e.getMessage());
      }
    }
  }

  /** The attempt a hello line names when it carries the token; -1 otherwise. */
  private int attemptOf(String hello) {
    if (hello == null) {
      return -1;
    }
    String[] parts = hello.split(" ", 2);
    boolean valid = parts.length == 2 && MessageDigest.isEqual(
        parts[0].getBytes(StandardCharsets.UTF_8), address.token().getBytes(StandardCharsets.UTF_8));
    try {
      return valid ? Integer.parseInt(parts[1]) : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private synchronized void attach(int number, OutputStream out) {
    if (number == attempt) {
      current = out;
      sendPending();
    }
  }

  private void relayLoop() {
    try {
      while (!closed) {
        Solver.Action action = actions.get();
        if (action != null && action != Solver.Action.NONE) {
          request(action);
        } else {
          Thread.sleep(POLL.toMillis());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private synchronized void request(Solver.Action action) {
    if (action == Solver.Action.STOP) {
      stopRequested = true;
    }
    pending.add(action);
    sendPending();
  }

  /** Sends the waiting actions to the current rank 0, in order; they wait on when it is gone. */
  private void sendPending() {
    while (current != null && !pending.isEmpty()) {
      try {
        ChannelIo.write(current, pending.peek().name().toLowerCase(Locale.ROOT));
        current.flush();
        pending.remove();
      } catch (IOException e) {
        current = null;
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    relay.interrupt();
    ChannelIo.closeQuietly(server);
  }
}
