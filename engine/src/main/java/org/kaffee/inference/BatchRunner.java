package org.kaffee.inference;

import java.util.ArrayList;
import java.util.List;
import org.kaffee.api.Classifier;
import org.kaffee.core.KaffeeException;
import org.kaffee.log.Glog;

/**
 * Feeds records to a classifier in batches and hands each result on; reports records that
 * could not be read (and skips them), and logs a progress line every few seconds.
 */
public final class BatchRunner {
  /** What a run does with each classified record. */
  public interface Sink {
    void accept(Record record, float[] probabilities);
  }

  private static final long PROGRESS_NANOS = 5_000_000_000L;

  private final Classifier classifier;
  private final int batchSize;
  private final List<Record> pending = new ArrayList<>();
  private Sink sink;
  private int total;
  private int done;
  private int skipped;
  private long start;
  private long lastProgress;

  public BatchRunner(Classifier classifier, int batchSize) {
    KaffeeException.check(batchSize > 0, "--batch_size must be positive, got %d", batchSize);
    this.classifier = classifier;
    this.batchSize = batchSize;
  }

  /** Classifies every record of the inputs; returns how many were classified. */
  public int run(Inputs inputs, Sink sink) {
    this.sink = sink;
    total = inputs.count();
    start = System.nanoTime();
    lastProgress = start;
    inputs.forEach(this::add);
    flush();
    double seconds = (System.nanoTime() - start) / 1e9;
    Glog.info("Classified %d images in %.1f s (%.1f images/s)%s", done, seconds, done / Math.max(seconds, 1e-9),
        skipped > 0 ? ", skipped " + skipped + " unreadable" : "");
    KaffeeException.check(done > 0, "none of the %d inputs could be classified", total);
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
    List<org.kaffee.data.Image> images = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (Record r : pending) {
      images.add(r.image());
      names.add(r.name());
    }
    float[][] probabilities = classifier.probabilities(images, names);
    for (int i = 0; i < pending.size(); i++) {
      sink.accept(pending.get(i), probabilities[i]);
    }
    done += pending.size();
    pending.clear();
    long now = System.nanoTime();
    if (now - lastProgress >= PROGRESS_NANOS) {
      lastProgress = now;
      Glog.info("Classified %d of %d images (%.1f images/s)", done, total, done / ((now - start) / 1e9));
    }
  }
}
