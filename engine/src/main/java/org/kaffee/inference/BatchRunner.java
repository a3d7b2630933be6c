package org.kaffee.inference;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.kaffee.api.Classifier;
import org.kaffee.core.KaffeeException;
import org.kaffee.data.Image;
import org.kaffee.log.Glog;

/**
 * Feeds records to a net in batches (a classifier's, a detector's) and hands each result on;
 * reports records that could not be read (and skips them), and logs a progress line every few
 * seconds.
 */
public final class BatchRunner<T> {
  /** One forward pass over a batch: one result per image, in order. */
  public interface Batch<T> {
    List<T> run(List<Image> images, List<String> names);
  }

  /** Where the records come from: classify's inputs, an annotated set. */
  public interface Source {
    int count();

    void forEach(Consumer<Record> sink);
  }

  /** What a run does with each record's result. */
  public interface Sink<T> {
    void accept(Record record, T result);
  }

  private static final long PROGRESS_NANOS = 5_000_000_000L;

  private final Batch<T> batch;
  private final int batchSize;
  private final String verb;
  private final List<Record> pending = new ArrayList<>();
  private Sink<T> sink;
  private int total;
  private int done;
  private int skipped;
  private long start;
  private long lastProgress;

  /** {@code verb} names the work in the log lines ("Classified", "Detected objects in"). */
  public BatchRunner(Batch<T> batch, int batchSize, String verb) {
    KaffeeException.check(batchSize > 0, "--batch_size must be positive, got %d", batchSize);
    this.batch = batch;
    this.batchSize = batchSize;
    this.verb = verb;
  }

  /** A runner handing on each image's output averaged over its crops. */
  public static BatchRunner<float[]> of(Classifier classifier, int batchSize) {
    return new BatchRunner<>((images, names) -> List.of(classifier.probabilities(images, names)), batchSize,
        "Classified");
  }

  /** Runs every record of the inputs; returns how many were run. */
  public int run(Source inputs, Sink<T> sink) {
    this.sink = sink;
    total = inputs.count();
    start = System.nanoTime();
    lastProgress = start;
    inputs.forEach(this::add);
    flush();
    double seconds = (System.nanoTime() - start) / 1e9;
    Glog.info("%s %d images in %.1f s (%.1f images/s)%s", verb, done, seconds, done / Math.max(seconds, 1e-9),
        skipped > 0 ? ", skipped " + skipped + " unreadable" : "");
    KaffeeException.check(done > 0, "none of the %d inputs could be read", total);
    return done;
  }

  private void add(Record record) {
    if (record.error() != null) {
      Glog.warn("skipping %s: %s", record.name(), record.error());
      skipped++;
      return;
    }
    pending.add(record);
    if (pending.size() == batchSize) {
      flush();
    }
  }

  private void flush() {
    if (pending.isEmpty()) {
      return;
    }
    List<Image> images = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (Record r : pending) {
      images.add(r.image());
      names.add(r.name());
    }
    List<T> results = batch.run(images, names);
    for (int i = 0; i < pending.size(); i++) {
      sink.accept(pending.get(i), results.get(i));
    }
    done += pending.size();
    pending.clear();
    long now = System.nanoTime();
    if (now - lastProgress >= PROGRESS_NANOS) {
      lastProgress = now;
      Glog.info("%s %d of %d images (%.1f images/s)", verb, done, total, done / ((now - start) / 1e9));
    }
  }
}
