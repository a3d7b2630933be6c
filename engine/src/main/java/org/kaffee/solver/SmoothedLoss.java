package org.kaffee.solver;

import java.util.ArrayList;
import java.util.List;
import org.kaffee.proto.KaffeeState.LossWindow;

/**
 * Caffe's displayed loss: the mean of the last {@code average_loss} iteration losses, updated
 * as Solver::UpdateSmoothedLoss does (add the newest, subtract the one it replaces), whose
 * rounding depends on the whole history. A snapshot therefore carries the window, and a
 * resumed run shows the uninterrupted run's numbers to the last bit.
 */
final class SmoothedLoss {
  private final int window;
  private final List<Float> losses = new ArrayList<>();
  private float value;
  /** The iteration the window's slots count from (where the smoothing started). */
  private int origin;
  /** A restored window, taken up by the next {@link #start} instead of a fresh one. */
  private LossWindow resumed;

  SmoothedLoss(int window) {
    this.window = window;
  }

  /** A step begins at {@code iter}: a fresh window, or the one a snapshot left. */
  void start(int iter) {
    losses.clear();
    value = 0;
    origin = iter;
    if (resumed != null) {
      losses.addAll(resumed.getLossList());
      value = resumed.getSmoothed();
      origin = resumed.getOrigin();
      resumed = null;
    }
  }

  void add(float loss, int iter) {
    if (losses.size() < window) {
      losses.add(loss);
      int size = losses.size();
      value = (value * (size - 1) + loss) / size;
    } else {
      int idx = (iter - origin) % window;
      value += (loss - losses.get(idx)) / window;
      losses.set(idx, loss);
    }
  }

  float value() {
    return value;
  }

  LossWindow save() {
    return LossWindow.newBuilder().setOrigin(origin).setSmoothed(value).addAllLoss(losses).build();
  }

  void resume(LossWindow saved) {
    resumed = saved;
  }
}
