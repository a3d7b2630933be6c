package org.kaffee.inference;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import org.kaffee.core.KaffeeException;

/**
 * The figures of an evaluation, accumulated record by record: top-1 and top-5 accuracy by
 * Caffe's Accuracy rule (a record counts when fewer than k classes score strictly higher than
 * its true class, so ties count as right), the confusion matrix of the arg-max (rows: true
 * class, columns: predicted; its diagonal holds exactly the top-1 hits), and the records whose
 * true class got the lowest probability.
 */
public final class Evaluation {
  /** A record the net got wrong, with the probabilities of its true and its predicted class. */
  public record Miss(String name, int label, int predicted, float labelProbability, float predictedProbability) {
  }

  /** An off-diagonal cell of the confusion matrix. */
  public record Confusion(int label, int predicted, long records) {
  }

  private final int classes;
  private final long[][] matrix;
  private final int worstKept;
  private final PriorityQueue<Miss> worst =
      new PriorityQueue<>(Comparator.comparingDouble((Miss m) -> -m.labelProbability()));
  private long records;
  private long top1;
  private long top5;

  public Evaluation(int classes, int worstKept) {
    this.classes = classes;
    this.matrix = new long[classes][classes];
    this.worstKept = worstKept;
  }

  public void add(String name, int label, float[] probabilities) {
    KaffeeException.check(label >= 0, "%s has no label: evaluate needs a 'path label' list or a database", name);
    KaffeeException.check(label < classes, "%s has label %d but the net tells %d classes apart", name, label, classes);
    float truth = probabilities[label];
    int higher = 0;
    int predicted = 0;
    for (int c = 0; c < classes; c++) {
      higher += probabilities[c] > truth ? 1 : 0;
      predicted = probabilities[c] > probabilities[predicted] ? c : predicted;
    }
    if (higher == 0) {
      predicted = label;  // a tie with the true class counts as right, in the matrix too
    }
    records++;
    top1 += higher < 1 ? 1 : 0;
    top5 += higher < 5 ? 1 : 0;
    matrix[label][predicted]++;
    if (predicted != label) {
      worst.add(new Miss(name, label, predicted, truth, probabilities[predicted]));
      if (worst.size() > worstKept) {
        worst.poll();
      }
    }
  }

  public int classes() {
    return classes;
  }

  public long records() {
    return records;
  }

  public double accuracy() {
    return (double) top1 / records;
  }

  public double top5() {
    return (double) top5 / records;
  }

  /** Records of true class {@code label} predicted as {@code predicted}. */
  public long count(int label, int predicted) {
    return matrix[label][predicted];
  }

  /** Of the records predicted as {@code c}, the share that is {@code c}; NaN when none is. */
  public double precision(int c) {
    long predicted = 0;
    for (int t = 0; t < classes; t++) {
      predicted += matrix[t][c];
    }
    return predicted == 0 ? Double.NaN : (double) matrix[c][c] / predicted;
  }

  /** Of the records of class {@code c}, the share predicted as {@code c}; NaN without any. */
  public double recall(int c) {
    long actual = 0;
    for (int p = 0; p < classes; p++) {
      actual += matrix[c][p];
    }
    return actual == 0 ? Double.NaN : (double) matrix[c][c] / actual;
  }

  public long support(int c) {
    long actual = 0;
    for (int p = 0; p < classes; p++) {
      actual += matrix[c][p];
    }
    return actual;
  }

  /** The {@code n} largest off-diagonal cells, largest first (ties in row, then column order). */
  public List<Confusion> mostConfused(int n) {
    List<Confusion> cells = new ArrayList<>();
    for (int t = 0; t < classes; t++) {
      for (int p = 0; p < classes; p++) {
        if (t != p && matrix[t][p] > 0) {
          cells.add(new Confusion(t, p, matrix[t][p]));
        }
      }
    }
    cells.sort(Comparator.comparingLong((Confusion c) -> -c.records()));
    return cells.subList(0, Math.min(n, cells.size()));
  }

  /** The misclassified records with the lowest probability on their true class, lowest first. */
  public List<Miss> worst() {
    List<Miss> out = new ArrayList<>(worst);
    out.sort(Comparator.comparingDouble(Miss::labelProbability));
    return out;
  }
}
