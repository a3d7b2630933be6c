package org.kaffee.layers.neuron;

import org.kaffee.core.DataView;
import org.kaffee.core.Rng;
import org.kaffee.proto.Caffe.DropoutParameter;
import org.kaffee.proto.Caffe.LayerParameter;
import org.kaffee.proto.Caffe.Phase;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * At TRAIN, keeps each value with probability 1 - dropout_ratio (mask drawn from
 * {@link Rng#global()}) and scales the kept ones by 1 / (1 - ratio); at TEST, the identity.
 */
public final class DropoutLayer extends NeuronLayer {
  private final double ratio;
  private final double scale;
  private final long uintThreshold;
  /** The mask's uniform draws, taken from the generator in one call. */
  private int[] draws = new int[0];

  public DropoutLayer(LayerParameter param) {
    super(param);
    DropoutParameter p = param.getDropoutParam();
    ratio = p.getDropoutRatio();
    check(ratio >= 0 && ratio < 1, "dropout_ratio must be in [0, 1), got %s", ratio);
    scale = 1.0 / (1.0 - ratio);
    uintThreshold = (long) (0xFFFFFFFFL * ratio);
  }

  @Override
  public String type() {
    return "Dropout";
  }

  @Override
  protected int scratchBuffers() {
    return 1; // the mask, already multiplied by the train-time scale
  }

  @Override
  protected void forwardValues(INDArray x, INDArray y) {
    if (phase == Phase.TRAIN) {
      DataView mask = scratchValues(0);
      int n = mask.length();
      if (draws.length < n) {
        draws = new int[n];
      }
      Rng.global().nextInts(draws, n);
      for (int i = 0; i < n; i++) {
        // Kept with probability 1 - ratio: a uniform 32-bit draw at or above ratio * 2^32.
        mask.set(i, (draws[i] & 0xFFFFFFFFL) >= uintThreshold ? scale : 0.0);
      }
      x.muli(scratch(0), y);
    } else if (y != x) {
      y.assign(x);
    }
  }

  @Override
  protected void backwardValues(INDArray x, INDArray y, INDArray dy, INDArray dx) {
    if (phase == Phase.TRAIN) {
      dy.muli(scratch(0), dx);
    } else if (dx != dy) {
      dx.assign(dy);
    }
  }
}
