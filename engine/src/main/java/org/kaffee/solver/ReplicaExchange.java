package org.kaffee.solver;

import java.nio.FloatBuffer;
import java.util.List;
import org.kaffee.core.Blob;
import org.kaffee.core.KaffeeException;
import org.kaffee.parallel.AllReduce;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What data-parallel replicas exchange each iteration, between the {@code iter_size}
 * forward/backward passes and the update: every learnable param's accumulated gradient,
 * averaged over the replicas, with the iteration's loss and rank 0's requested action
 * carried in the same message. Clipping, the 1/iter_size normalisation and the rule then
 * see the averaged gradient, exactly as one process with the replicas' batches together.
 */
final class ReplicaExchange {
  private static final int LOSS = 0;
  private static final int STOP = 1;
  private static final int SNAPSHOT = 2;
  private static final int EXTRAS = 3;

  private final AllReduce allReduce;
  private final List<Blob> params;
  private final float[] buffer;
  private float loss;
  private Solver.Action action = Solver.Action.NONE;
  /** Time spent in the all-reduce (waiting for the slowest replica included), and calls. */
  private long nanos;
  private int calls;

  ReplicaExchange(AllReduce allReduce, List<Blob> params) {
    this.allReduce = allReduce;
    this.params = params;
    long total = EXTRAS;
    for (Blob p : params) {
      KaffeeException.check(p.dataType() == DataType.FLOAT,
          "data-parallel training needs float32 params, got %s", p.dataType());
      total += p.count();
    }
    KaffeeException.check(total < Integer.MAX_VALUE, "the net has too many params (%d) to"
        + " exchange in one buffer", total);
    this.buffer = new float[(int) total];
  }

  /** Averages the gradients in place; afterwards {@link #loss()} and {@link #action()}. */
  void average(float localLoss, Solver.Action requested) {
    buffer[LOSS] = localLoss;
    buffer[STOP] = requested == Solver.Action.STOP ? 1 : 0;
    buffer[SNAPSHOT] = requested == Solver.Action.SNAPSHOT ? 1 : 0;
    int offset = EXTRAS;
    for (Blob p : params) {
      offset = copy(p.diff(), offset, true);
    }
    long start = System.nanoTime();
    allReduce.average(buffer);
    nanos += System.nanoTime() - start;
    calls++;
    offset = EXTRAS;
    for (Blob p : params) {
      offset = copy(p.diff(), offset, false);
    }
    loss = buffer[LOSS];
    action = buffer[STOP] > 0 ? Solver.Action.STOP
        : buffer[SNAPSHOT] > 0 ? Solver.Action.SNAPSHOT : Solver.Action.NONE;
  }

  /** Mean milliseconds per gradient all-reduce so far. */
  double millisPerIteration() {
    return calls == 0 ? 0 : nanos / 1e6 / calls;
  }

  float loss() {
    return loss;
  }

  Solver.Action action() {
    return action;
  }

  /** Sums small double vectors over the replicas (nothing to do in a single process). */
  static double[] sum(AllReduce allReduce, double[] values) {
    if (allReduce.size() > 1) {
      allReduce.sum(values);
    }
    return values;
  }

  /** The replicas' train outputs averaged (each replica's are means over its own slice). */
  static void averageOutputs(AllReduce allReduce, float[][] values) {
    if (allReduce.size() == 1) {
      return;
    }
    int total = 0;
    for (float[] v : values) {
      total += v.length;
    }
    double[] flat = new double[total];
    int k = 0;
    for (float[] v : values) {
      for (float x : v) {
        flat[k++] = x;
      }
    }
    allReduce.sum(flat);
    k = 0;
    for (float[] v : values) {
      for (int i = 0; i < v.length; i++) {
        v[i] = (float) (flat[k++] / allReduce.size());
      }
    }
  }

  /** Copies every param of the net from rank 0 (random fillers, --weights) to the others. */
  static void broadcastWeights(AllReduce allReduce, List<Blob> all) {
    long total = 0;
    for (Blob p : all) {
      total += p.count();
    }
    float[] weights = new float[(int) total];
    int offset = 0;
    for (Blob p : all) {
      offset = copy(weights, p.data(), offset, true);
    }
    allReduce.broadcast(weights);
    offset = 0;
    for (Blob p : all) {
      offset = copy(weights, p.data(), offset, false);
    }
  }

  private int copy(INDArray array, int offset, boolean toBuffer) {
    return copy(buffer, array, offset, toBuffer);
  }

  /** Copies a contiguous float array to or from {@code values} at {@code offset}. */
  private static int copy(float[] values, INDArray array, int offset, boolean toValues) {
    int n = (int) array.length();
    FloatBuffer view = array.data().asNioFloat();
    view.position((int) array.offset());
    if (toValues) {
      view.get(values, offset, n);
    } else {
      view.put(values, offset, n);
    }
    return offset + n;
  }
}
