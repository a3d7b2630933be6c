package org.kaffee.layers.loss;

import java.util.List;
import org.kaffee.core.Blob;
import org.kaffee.proto.Caffe.LayerParameter;

/**
 * Loss layers whose predictions are read as {@code [num, dim]} (the first axis against the
 * rest) with one integer label per sample: HingeLoss and MultinomialLogisticLoss.
 */
abstract class PerSampleLabelLossLayer extends LossLayer {
  /** Number of samples: the predictions' first dimension. */
  protected int num;
  /** Values per sample: the number of classes a label may name. */
  protected int dim;

  protected PerSampleLabelLossLayer(LayerParameter param) {
    super(param);
  }

  @Override
  public void reshape(List<Blob> bottom, List<Blob> top) {
    super.reshape(bottom, top);
    num = bottom.get(0).shape(0);
    dim = num == 0 ? 0 : bottom.get(0).count() / num;
  }
}
