package org.kaffee.layers.loss;

import java.util.List;
import org.kaffee.core.Blob;
import org.kaffee.core.BlobCounts;
import org.kaffee.core.Layer;
import org.kaffee.proto.Caffe.LayerParameter;

/**
 * Caffe's LossLayer: two bottoms (predictions, then labels or targets), one scalar top
 * (0 axes) weighted 1 by default. The labels bottom never receives a gradient.
 */
public abstract class LossLayer extends Layer {
  /** Caffe's kLOG_THRESHOLD: probabilities are clipped below before taking the log. */
  static final double LOG_THRESHOLD = 1e-20;
  /** C's FLT_MIN, the clip SoftmaxWithLoss uses before the log. */
  static final double FLT_MIN = Float.MIN_NORMAL;

  /** Two bottoms and one top, as most losses take. */
  protected LossLayer(LayerParameter param) {
    this(param, BlobCounts.of(2, 1));
  }

  /** Other counts; the Net adds the loss top when the prototxt names none, as in Caffe. */
  protected LossLayer(LayerParameter param, BlobCounts blobCounts) {
    super(param, blobCounts.withAutoTops());
  }

  @Override
  protected boolean isLoss() {
    return true;
  }

  @Override
  public boolean allowForceBackward(int bottomIndex) {
    return bottomIndex != 1;
  }

  /** Checks that the batch sizes agree and makes the first top a scalar. */
  @Override
  public void reshape(List<Blob> bottom, List<Blob> top) {
    Blob data = bottom.get(0);
    Blob label = bottom.get(1);
    check(data.numAxes() > 0 && label.numAxes() > 0,
        "bottoms need at least one axis, got %s and %s", data.shapeString(), label.shapeString());
    check(data.shape(0) == label.shape(0),
        "the data and label should have the same first dimension, got %s and %s",
        data.shapeString(), label.shapeString());
    top.get(0).reshape();
  }

  /** Caffe aborts when asked for the gradient of the labels; so does Kaffee, with one line. */
  protected void checkNoLabelGradient(boolean[] propagateDown, int labelIndex) {
    check(propagateDown.length <= labelIndex || !propagateDown[labelIndex],
        "%s Layer cannot backpropagate to label inputs", type());
  }

  /** The loss weight Caffe keeps in the top's diff. */
  protected static double lossWeight(List<Blob> top) {
    return top.get(0).diffView().get(0);
  }

  /** Reads a label value as Caffe does (static_cast to int truncates toward zero). */
  protected static int label(double value) {
    return (int) value;
  }

  /** Fails naming the label, the batch item holding it and the layer (Caffe CHECK-fails). */
  protected void checkLabel(int labelValue, int numLabels, int item) {
    checkLabel(labelValue, numLabels, item, -1);
  }

  /** As above for a label at a spatial {@code position} of the item (-1: none). */
  protected void checkLabel(int labelValue, int numLabels, int item, int position) {
    check(labelValue >= 0 && labelValue < numLabels,
        "label %d of batch item %d%s is outside [0, %d): the net has %d classes", labelValue, item,
        position < 0 ? "" : " (position " + position + ")", numLabels, numLabels);
  }
}
