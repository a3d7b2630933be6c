package org.kaffee.layers.data;

import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.kaffee.core.Blob;
import org.kaffee.core.BlobCounts;
import org.kaffee.core.KaffeeException;
import org.kaffee.core.Layer;
import org.kaffee.core.ResumableState;
import org.kaffee.proto.Caffe.LayerParameter;
import org.kaffee.proto.KaffeeState.LayerState;

/**
 * Caffe's BasePrefetchingDataLayer: a background thread fills whole batches into a queue of
 * {@code prefetch} batches; forward takes the next full batch, copies it to the tops and hands
 * the buffer back. The net never sees a partial batch (a batch is queued only when complete).
 * An error on the thread is queued as a failed batch and thrown on the net's thread. The thread
 * is a daemon and stops on {@link #close()}.
 *
 * <p>The thread runs ahead of the net, so each batch carries the reader's state as of its end
 * and the layer's saved state is that of the last batch forward handed out; restoring drops the
 * queued batches and restarts the thread from the restored state.
 */
public abstract class BasePrefetchingDataLayer extends Layer implements AutoCloseable, ResumableState {
  /** One prefetched batch. */
  protected static final class Batch {
    public float[] data;
    public float[] label;
    public int[] shape;
    /** The label top's shape; null for one label per item. */
    public int[] labelShape;
    RuntimeException error;
    Supplier<LayerState> state;
  }

  private BlockingQueue<Batch> free;
  private BlockingQueue<Batch> full;
  private Thread thread;
  private volatile boolean stopping;
  private RuntimeException failure;
  /** The reader's state right after the last batch forward handed out. */
  private Supplier<LayerState> consumed;
  protected boolean outputLabels;

  /** No bottoms; the data, and the labels when a second top is named. */
  protected BasePrefetchingDataLayer(LayerParameter param) {
    this(param, BlobCounts.ranges(0, 0, 1, 2));
  }

  protected BasePrefetchingDataLayer(LayerParameter param, BlobCounts blobCounts) {
    super(param, blobCounts);
  }

  /** Reads parameters, opens the source and shapes the tops (on the net's thread). */
  protected abstract void dataLayerSetUp(List<Blob> bottom, List<Blob> top);

  /** Fills one whole batch (on the prefetch thread); shape data as {@code batch.shape}. */
  protected abstract void loadBatch(Batch batch);

  /**
   * The reader's state now, called on the prefetch thread after each batch: capture values
   * (or references the reader never mutates afterwards) and build the message only when asked.
   */
  protected abstract Supplier<LayerState> readerState();

  /** Moves the reader to a saved state (the prefetch thread is stopped meanwhile). */
  protected abstract void restoreReader(LayerState state);

  /** Releases the source after the thread stopped. */
  protected void closeSource() {
  }

  /** Number of batches to prefetch. */
  protected int prefetchCount() {
    return 4;
  }

  @Override
  protected final void layerSetUp(List<Blob> bottom, List<Blob> top) {
    outputLabels = top.size() > 1;
    dataLayerSetUp(bottom, top);
    startReader();
  }

  private void startReader() {
    consumed = readerState();
    int n = Math.max(1, prefetchCount());
    free = new ArrayBlockingQueue<>(n + 1);
    full = new ArrayBlockingQueue<>(n + 1);
    for (int i = 0; i < n; i++) {
      free.add(new Batch());
    }
    stopping = false;
    thread = new Thread(this::run, "prefetch-" + name());
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * Stops the thread between two batches: no interrupt, which would close the file channels
   * a reader may be using; a spare batch in the free queue wakes a thread waiting there.
   */
  private void stopReader() {
    stopping = true;
    free.offer(new Batch());
    join(0);
  }

  @Override
  public LayerState saveState() {
    return consumed.get();
  }

  @Override
  public void restoreState(LayerState state) {
    stopReader();
    restoreReader(state);
    startReader();
  }

  private void run() {
    try {
      while (!stopping) {
        Batch b = free.take();
        if (stopping) {
          break;
        }
        try {
          loadBatch(b);
        } catch (RuntimeException e) {
          b.error = e instanceof KaffeeException ? e
              : new KaffeeException("layer " + name() + " (" + type() + "): prefetching failed: " + e, e);
          full.put(b);
          return;
        }
        b.state = readerState();
        full.put(b);
      }
    } catch (InterruptedException e) {
      // stopping
    } catch (Throwable t) {
      Batch b = new Batch();
      b.error = new KaffeeException("layer " + name() + " (" + type() + "): prefetching failed: " + t, t);
      full.offer(b);
    }
  }

  @Override
  public void reshape(List<Blob> bottom, List<Blob> top) {
    // Tops are shaped at set-up and by each batch in forward.
  }

  @Override
  public void forward(List<Blob> bottom, List<Blob> top) {
    Batch b = takeBatch();
    top.get(0).reshape(b.shape);
    top.get(0).dataView().copyFrom(b.data);
    if (outputLabels) {
      top.get(1).reshape(b.labelShape != null ? b.labelShape : new int[] {b.label.length});
      top.get(1).dataView().copyFrom(b.label);
    }
    consumed = b.state;
    free.add(b);
  }

  private Batch takeBatch() {
    if (failure != null) {
      throw failure;
    }
    Batch b;
    try {
      b = full.poll(1, TimeUnit.SECONDS);
      while (b == null) {
        if (!thread.isAlive() && full.isEmpty()) {
          failure = new KaffeeException("layer " + name() + " (" + type() + "): the prefetch thread stopped");
          throw failure;
        }
        b = full.poll(1, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KaffeeException("layer " + name() + ": interrupted while waiting for data", e);
    }
    if (b.error != null) {
      failure = b.error;
      throw failure;
    }
    return b;
  }

  @Override
  public void backward(List<Blob> top, boolean[] propagateDown, List<Blob> bottom) {
  }

  /** Stops the prefetch thread and releases the source. */
  @Override
  public void close() {
    stopping = true;
    if (thread != null) {
      thread.interrupt();
      join(10000);
    }
    closeSource();
  }

  /** Waits for the thread to end ({@code millis} 0: however long its batch takes). */
  private void join(long millis) {
    try {
      thread.join(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
