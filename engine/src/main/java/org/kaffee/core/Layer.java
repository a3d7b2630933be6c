package org.kaffee.core;

import java.util.ArrayList;
import java.util.List;
import org.kaffee.proto.Caffe.LayerParameter;
import org.kaffee.proto.Caffe.Phase;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Caffe's Layer: set up once (check blob counts and parameters, create the learnable
 * {@link #blobs()}), reshape whenever the bottoms change, then forward and backward.
 * A subclass declares its blob counts once, as a {@link BlobCounts} passed to the constructor,
 * and implements {@link #reshape}, {@link #forward} and {@link #backward}.
 *
 * <p>Loss: a top with a non-zero loss weight holds that weight in its diff (set here at
 * set-up), so {@link #forwardWithLoss} returns {@code sum(weight * top)} and the layer's
 * backward reads the weight from its top diff, exactly as Caffe does.
 */
public abstract class Layer {
  protected final LayerParameter param;
  protected final Phase phase;
  private final BlobCounts blobCounts;
  protected final List<Blob> blobs = new ArrayList<>();
  private final List<Boolean> paramPropagateDown = new ArrayList<>();
  private double[] lossWeights = new double[0];
  private DataType dataType = DataType.FLOAT;
  private Shard shard = Shard.WHOLE;

  /** A layer that takes any number of bottoms and tops. */
  protected Layer(LayerParameter param) {
    this(param, BlobCounts.ANY);
  }

  protected Layer(LayerParameter param, BlobCounts blobCounts) {
    this.param = param;
    this.phase = param.getPhase();
    this.blobCounts = blobCounts;
  }

  /** The type string this layer registers under ("Convolution", "Slice", ...). */
  public abstract String type();

  public String name() {
    return param.getName();
  }

  public LayerParameter param() {
    return param;
  }

  /** Precision of the param blobs this layer creates: float32, or float64 for gradient checks. */
  public DataType dataType() {
    return dataType;
  }

  public void setDataType(DataType dataType) {
    this.dataType = dataType;
  }

  /** The part of every global batch a data layer produces (the whole batch in one process). */
  public Shard shard() {
    return shard;
  }

  public void setShard(Shard shard) {
    this.shard = shard;
  }

  /** The learnable (and stored) param blobs. */
  public List<Blob> blobs() {
    return blobs;
  }

  /** A new blob of this layer's precision. */
  protected Blob newBlob(int... shape) {
    return new Blob(dataType, shape);
  }

  /** How many bottoms and tops this layer takes. */
  public final BlobCounts blobCounts() {
    return blobCounts;
  }

  /** Whether force_backward may ask for the gradient of this bottom (false for labels). */
  public boolean allowForceBackward(int bottomIndex) {
    return true;
  }

  // ---- life cycle -----------------------------------------------------------

  /** Checks counts, runs the layer's own set-up, reshapes and records loss weights. */
  public final void setUp(List<Blob> bottom, List<Blob> top) {
    blobCounts.check(name() + " (" + type() + ")", bottom.size(), top.size());
    layerSetUp(bottom, top);
    reshape(bottom, top);
    setLossWeights(top);
  }

  /** One-time set-up: read parameters, create param blobs. */
  protected void layerSetUp(List<Blob> bottom, List<Blob> top) {
  }

  public abstract void reshape(List<Blob> bottom, List<Blob> top);

  public abstract void forward(List<Blob> bottom, List<Blob> top);

  public abstract void backward(List<Blob> top, boolean[] propagateDown, List<Blob> bottom);

  /** Reshape, forward, then the weighted loss this layer contributes (Caffe's Layer::Forward). */
  public final double forwardWithLoss(List<Blob> bottom, List<Blob> top) {
    reshape(bottom, top);
    forward(bottom, top);
    double loss = 0;
    for (int i = 0; i < top.size() && i < lossWeights.length; i++) {
      if (lossWeights[i] != 0) {
        loss += lossWeights[i] * top.get(i).data().sumNumber().doubleValue();
      }
    }
    return loss;
  }

  // ---- loss weights ---------------------------------------------------------

  public double loss(int topIndex) {
    return topIndex < lossWeights.length ? lossWeights[topIndex] : 0;
  }

  /** Loss layers weigh their first top by 1 unless the prototxt says otherwise. */
  protected boolean isLoss() {
    return false;
  }

  private void setLossWeights(List<Blob> top) {
    int n = param.getLossWeightCount();
    if (n > 0) {
      KaffeeException.check(n == top.size(),
          "layer %s: loss_weight must be given once per top (%d tops, %d weights)",
          name(), top.size(), n);
    }
    lossWeights = new double[top.size()];
    for (int i = 0; i < top.size(); i++) {
      lossWeights[i] = n > 0 ? param.getLossWeight(i) : (isLoss() && i == 0 ? 1 : 0);
      if (lossWeights[i] != 0) {
        top.get(i).diff().assign(lossWeights[i]);
      }
    }
  }

  /**
   * The parameter whose {@code param} specs (lr_mult, decay_mult, names) the Net applies to this
   * layer's blobs, read after set-up. Caffe lets a layer amend them in LayerSetUp (BatchNorm
   * adds {@code lr_mult: 0} for its statistics); the default is the layer's own parameter.
   */
  public LayerParameter paramSpecSource() {
    return param;
  }

  // ---- which params want gradients ------------------------------------------

  public boolean paramPropagateDown(int paramIndex) {
    return paramIndex < paramPropagateDown.size() && paramPropagateDown.get(paramIndex);
  }

  public void setParamPropagateDown(int paramIndex, boolean value) {
    while (paramPropagateDown.size() <= paramIndex) {
      paramPropagateDown.add(true);
    }
    paramPropagateDown.set(paramIndex, value);
  }

  // ---- helpers --------------------------------------------------------------

  /** Releases what the layer holds besides its blobs (threads, open files); Net.close() calls it. */
  public void close() {
  }

  /** Fails with a message naming this layer. */
  protected void check(boolean condition, String format, Object... args) {
    if (!condition) {
      throw new KaffeeException("layer " + name() + " (" + type() + "): "
          + String.format(format, args));
    }
  }
}
