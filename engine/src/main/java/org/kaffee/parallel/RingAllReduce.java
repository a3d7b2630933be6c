package org.kaffee.parallel;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.time.Duration;
import java.util.List;

/**
 * All-reduce over TCP between the ranks of a ring (the Horovod/Gloo way): a reduce-scatter then
 * an all-gather, each N - 1 steps of one chunk, so every rank sends and receives
 * 2 (N - 1) / N of the buffer per call whatever N is.
 *
 * <p>Deterministic: chunk c is summed in the fixed rank order c, c+1, ..., c+N-1 (mod N) by the
 * rank that ends up owning it, and the all-gather copies that one result to every rank, so all
 * ranks return the same bits, run after run. With two ranks the order is the plain x0 + x1.
 */
public final class RingAllReduce implements AllReduce {
  private final int rank;
  private final int size;
  private final RingLinks links;
  private byte[] sendBytes = new byte[0];
  private byte[] receiveBytes = new byte[0];
  private float[] received = new float[0];

  private RingAllReduce(int rank, int size, RingLinks links) {
    this.rank = rank;
    this.size = size;
    this.links = links;
  }

  /**
   * Joins the ring as {@code rank} of {@code peers.size()}. {@code server} is this rank's bound
   * listening socket (its address is {@code peers.get(rank)}); every wait for a peer ends after
   * {@code timeout} with a {@link WorkerFailedException}.
   */
  public static RingAllReduce join(int rank, ServerSocket server, List<InetSocketAddress> peers,
      Duration timeout) {
    RingLinks links = peers.size() == 1 ? null : RingLinks.open(rank, server, peers, timeout);
    return new RingAllReduce(rank, peers.size(), links);
  }

  /**
   * Ends this rank's part in the ring because it failed itself: the other ranks' waiting calls
   * end with a {@link WorkerFailedException} that names this rank and {@code cause}.
   */
  public void abort(String cause) {
    if (links != null) {
      links.abort(cause);
    }
  }

  @Override
  public int rank() {
    return rank;
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public void average(float[] buffer) {
    if (size == 1) {
      return;
    }
    int largest = chunkStart(buffer.length, 1) * Float.BYTES + Float.BYTES;
    ensureCapacity(largest);
    if (received.length < largest / Float.BYTES) {
      received = new float[largest / Float.BYTES];
    }
    // Reduce-scatter: at step s this rank passes on the partial sum of chunk (rank - s) and adds
    // its own values to the partial sum of chunk (rank - s - 1) it receives.
    for (int s = 0; s < size - 1; s++) {
      int out = Math.floorMod(rank - s, size);
      int in = Math.floorMod(rank - s - 1, size);
      exchangeChunks(buffer, out, in);
      int from = chunkStart(buffer.length, in);
      int count = chunkStart(buffer.length, in + 1) - from;
      floats(receiveBytes).get(received, 0, count);
      for (int i = 0; i < count; i++) {
        buffer[from + i] = received[i] + buffer[from + i];
      }
    }
    int own = Math.floorMod(rank + 1, size);
    for (int i = chunkStart(buffer.length, own), end = chunkStart(buffer.length, own + 1); i < end; i++) {
      buffer[i] /= size;
    }
    // All-gather: pass each finished chunk around the ring once.
    for (int s = 0; s < size - 1; s++) {
      int out = Math.floorMod(rank + 1 - s, size);
      int in = Math.floorMod(rank - s, size);
      exchangeChunks(buffer, out, in);
      int from = chunkStart(buffer.length, in);
      floats(receiveBytes).get(buffer, from, chunkStart(buffer.length, in + 1) - from);
    }
  }

  private void exchangeChunks(float[] buffer, int out, int in) {
    int outFrom = chunkStart(buffer.length, out);
    int outCount = chunkStart(buffer.length, out + 1) - outFrom;
    int inCount = chunkStart(buffer.length, in + 1) - chunkStart(buffer.length, in);
    floats(sendBytes).put(buffer, outFrom, outCount);
    links.exchange(sendBytes, outCount * Float.BYTES, receiveBytes, inCount * Float.BYTES);
  }

  /** Chunk c covers [chunkStart(c), chunkStart(c + 1)): N near-equal parts of the buffer. */
  private int chunkStart(int length, int chunk) {
    return (int) ((long) length * chunk / size);
  }

  /** Gathers every rank's vector around the ring, then adds them in rank order on every rank. */
  @Override
  public void sum(double[] values) {
    if (size == 1) {
      return;
    }
    int bytes = values.length * Double.BYTES;
    ensureCapacity(bytes);
    double[][] all = new double[size][];
    all[rank] = values.clone();
    for (int s = 0; s < size - 1; s++) {
      int out = Math.floorMod(rank - s, size);
      int in = Math.floorMod(rank - s - 1, size);
      ByteBuffer.wrap(sendBytes).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().put(all[out]);
      links.exchange(sendBytes, bytes, receiveBytes, bytes);
      all[in] = new double[values.length];
      ByteBuffer.wrap(receiveBytes).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(all[in]);
    }
    for (int i = 0; i < values.length; i++) {
      double total = 0;
      for (double[] v : all) {
        total += v[i];
      }
      values[i] = total;
    }
  }

  /** Rank 0's buffer travels 0 -> 1 -> ... -> N-1. */
  @Override
  public void broadcast(float[] buffer) {
    if (size == 1) {
      return;
    }
    int bytes = buffer.length * Float.BYTES;
    ensureCapacity(bytes);
    if (rank != 0) {
      links.receive(receiveBytes, bytes);
      floats(receiveBytes).get(buffer);
    }
    if (rank != size - 1) {
      floats(sendBytes).put(buffer);
      links.send(sendBytes, bytes);
    }
  }

  private void ensureCapacity(int bytes) {
    if (sendBytes.length < bytes) {
      sendBytes = new byte[bytes];
      receiveBytes = new byte[bytes];
    }
  }

  @Override
  public void close() {
    if (links != null) {
      links.close();
    }
  }

  private static FloatBuffer floats(byte[] bytes) {
    return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
  }
}
