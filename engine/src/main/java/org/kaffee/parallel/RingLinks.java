package org.kaffee.parallel;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.kaffee.core.KaffeeException;

/**
 * The two TCP links of one rank of a ring: it sends to rank + 1 and receives from rank - 1.
 * Messages are framed (a length, or an abort naming the worker at fault), so a failure seen by
 * one rank travels around the ring and every rank reports the same worker. Every wait is
 * bounded by the timeout: a lost peer ends each rank's call with a {@link WorkerFailedException}.
 */
final class RingLinks implements AutoCloseable {
  private static final int ABORT = -1;
  private static final int BUFFER = 1 << 16;

  private final int rank;
  private final List<InetSocketAddress> peers;
  private final long timeoutMillis;
  private final Socket toNext;
  private final Socket fromPrev;
  private final DataOutputStream out;
  private final DataInputStream in;
  /** Writes while the caller reads: with both sides writing a chunk larger than the socket
   *  buffers, a ring that wrote and then read on one thread would deadlock. */
  private final ExecutorService sender;
  private WorkerFailedException failure;

  private RingLinks(int rank, List<InetSocketAddress> peers, long timeoutMillis, Socket toNext,
      Socket fromPrev) throws IOException {
    this.rank = rank;
    this.peers = peers;
    this.timeoutMillis = timeoutMillis;
    this.toNext = toNext;
    this.fromPrev = fromPrev;
    this.out = new DataOutputStream(new BufferedOutputStream(toNext.getOutputStream(), BUFFER));
    this.in = new DataInputStream(new BufferedInputStream(fromPrev.getInputStream(), BUFFER));
    this.sender = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "ring-send-" + rank);
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Connects rank {@code rank} to its neighbours. {@code server} is this rank's listening
   * socket, bound before the addresses were exchanged, so the connects succeed in any order.
   */
  static RingLinks open(int rank, ServerSocket server, List<InetSocketAddress> peers,
      Duration timeout) {
    int size = peers.size();
    int next = (rank + 1) % size;
    int prev = (rank + size - 1) % size;
    long millis = timeout.toMillis();
    Socket toNext = new Socket();
    try {
      toNext.setTcpNoDelay(true);
      toNext.connect(peers.get(next), (int) millis);
      DataOutputStream hello = new DataOutputStream(toNext.getOutputStream());
      hello.writeInt(rank);
      hello.flush();
    } catch (IOException e) {
      closeQuietly(toNext);
      throw new WorkerFailedException(next, peers.get(next).getHostString(),
          "cannot connect to " + peers.get(next) + " (" + e.getMessage() + ")", e);
    }
    try {
      server.setSoTimeout((int) millis);
      Socket fromPrev = server.accept();
      fromPrev.setTcpNoDelay(true);
      fromPrev.setSoTimeout((int) millis);
      int who = new DataInputStream(fromPrev.getInputStream()).readInt();
      if (who != prev) {
        closeQuietly(fromPrev);
        throw new KaffeeException("all-reduce ring: rank " + rank + " expected rank " + prev
            + " to connect but rank " + who + " did (do the workers agree on the ring size?)");
      }
      return new RingLinks(rank, peers, millis, toNext, fromPrev);
    } catch (IOException e) {
      closeQuietly(toNext);
      throw new WorkerFailedException(prev, peers.get(prev).getHostString(),
          "did not connect within " + millis + " ms (" + e.getMessage() + ")", e);
    }
  }

  /** Sends {@code send[0, sendLength)} to the next rank while receiving the previous rank's
   *  message of exactly {@code receiveLength} bytes into {@code receive}. */
  void exchange(byte[] send, int sendLength, byte[] receive, int receiveLength) {
    Future<?> sending = startSend(send, sendLength);
    try {
      receive(receive, receiveLength);
    } catch (WorkerFailedException e) {
      sending.cancel(true);
      throw e;
    }
    finishSend(sending);
  }

  void send(byte[] bytes, int length) {
    finishSend(startSend(bytes, length));
  }

  void receive(byte[] bytes, int length) {
    checkNotFailed();
    int prev = prevRank();
    try {
      int header = in.readInt();
      if (header == ABORT) {
        int at = in.readInt();
        String host = in.readUTF();
        String cause = in.readUTF();
        throw fail(new WorkerFailedException(at, host, cause, null));
      }
      if (header != length) {
        throw fail(new WorkerFailedException(prev, hostOf(prev), "sent " + header
            + " bytes where rank " + rank + " expected " + length
            + " (buffers of different lengths on different workers)", null));
      }
      in.readFully(bytes, 0, length);
    } catch (SocketTimeoutException e) {
      throw fail(new WorkerFailedException(prev, hostOf(prev),
          "sent nothing for " + timeoutMillis + " ms", e));
    } catch (EOFException e) {
      throw fail(new WorkerFailedException(prev, hostOf(prev), "closed its connection", e));
    } catch (IOException e) {
      throw fail(new WorkerFailedException(prev, hostOf(prev),
          "connection lost (" + e.getMessage() + ")", e));
    }
  }

  private Future<?> startSend(byte[] bytes, int length) {
    checkNotFailed();
    return sender.submit(() -> {
      out.writeInt(length);
      out.write(bytes, 0, length);
      out.flush();
      return null;
    });
  }

  private void finishSend(Future<?> sending) {
    int next = (rank + 1) % peers.size();
    try {
      sending.get(timeoutMillis, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw fail(new WorkerFailedException(next, hostOf(next),
          "took nothing for " + timeoutMillis + " ms", e));
    } catch (ExecutionException e) {
      throw fail(new WorkerFailedException(next, hostOf(next),
          "connection lost (" + e.getCause().getMessage() + ")", e.getCause()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw fail(new WorkerFailedException(rank, hostOf(rank), "interrupted", e));
    }
  }

  /** Remembers the first failure, passes it on to the next rank (best effort, so the whole
   *  ring names the same worker) and closes the links. */
  private WorkerFailedException fail(WorkerFailedException e) {
    if (failure == null) {
      failure = e;
      forwardAbort(e);
      close();
    }
    return e;
  }

  private void forwardAbort(WorkerFailedException e) {
    String cause = e.getMessage().replaceFirst("^worker \\d+( on \\S+)? failed: ", "");
    try {
      sender.submit(() -> {
        out.writeInt(ABORT);
        out.writeInt(e.rank());
        out.writeUTF(hostOf(e.rank()));
        out.writeUTF(cause);
        out.flush();
        return null;
      }).get(1, TimeUnit.SECONDS);
    } catch (Exception ignored) {
      // the next rank is gone or stuck too; it will see the closed connection instead
    }
  }

  /** This rank failed on its own: tells the ring why (best effort) and closes the links. */
  void abort(String cause) {
    fail(new WorkerFailedException(rank, hostOf(rank), cause, null));
  }

  private void checkNotFailed() {
    if (failure != null) {
      throw failure;
    }
  }

  private int prevRank() {
    return (rank + peers.size() - 1) % peers.size();
  }

  private String hostOf(int r) {
    return r >= 0 && r < peers.size() ? peers.get(r).getHostString() : "";
  }

  @Override
  public void close() {
    sender.shutdownNow();
    closeQuietly(toNext);
    closeQuietly(fromPrev);
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // closing is best effort: the peer sees the connection end either way
    }
  }
}
