package org.kaffee.layers.common;

import java.util.List;
import org.kaffee.core.Blob;
import org.kaffee.core.BlobCounts;
import org.kaffee.core.DataView;
import org.kaffee.core.Layer;
import org.kaffee.proto.Caffe.BatchNormParameter;
import org.kaffee.proto.Caffe.LayerParameter;
import org.kaffee.proto.Caffe.ParamSpec;
import org.kaffee.proto.Caffe.Phase;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Caffe's BatchNorm: normalises each channel (axis 1) to zero mean and unit variance. Its three
 * blobs are running sums: mean, variance (with the m/(m-1) correction) and the moving-average
 * factor; they are divided by the factor at use, a zero factor meaning "no statistics yet"
 * (mean and variance taken as 0). In TRAIN (unless {@code use_global_stats}) the batch's
 * statistics are used and the running sums updated. The blobs are statistics, not learned:
 * this layer never writes their diffs (Caffe forces their lr_mult to 0).
 */
public final class BatchNormLayer extends Layer {
  private boolean useGlobalStats;
  private double movingAverageFraction;
  private double eps;
  private int channels;
  private int num;
  private int spatial;
  private INDArray mean;
  private INDArray variance;
  private INDArray std;
  private INDArray scratch;
  private Blob xNorm;
  private Blob temp;
  private final ChannelOps.View bottomData = new ChannelOps.View();
  private final ChannelOps.View bottomDiff = new ChannelOps.View();
  private final ChannelOps.View topData = new ChannelOps.View();
  private final ChannelOps.View topDiff = new ChannelOps.View();
  private final ChannelOps.View meanData = new ChannelOps.View();
  private final ChannelOps.View varData = new ChannelOps.View();
  private final ChannelOps.View tempData = new ChannelOps.View();

  public BatchNormLayer(LayerParameter param) {
    super(param, BlobCounts.of(1, 1));
  }

  @Override
  public String type() {
    return "BatchNorm";
  }

  @Override
  protected void layerSetUp(List<Blob> bottom, List<Blob> top) {
    BatchNormParameter p = param.getBatchNormParam();
    movingAverageFraction = p.getMovingAverageFraction();
    useGlobalStats = p.hasUseGlobalStats() ? p.getUseGlobalStats() : phase == Phase.TEST;
    channels = bottom.get(0).numAxes() == 1 ? 1 : bottom.get(0).shape(1);
    eps = p.getEps();
    if (blobs.isEmpty()) {
      blobs.add(newBlob(channels));
      blobs.add(newBlob(channels));
      blobs.add(newBlob(1));
    }
    for (int i = 0; i < param.getParamCount() && i < 3; i++) {
      check(param.getParam(i).getLrMult() == 0,
          "cannot configure batch normalization statistics as layer parameters (param %d has "
          + "lr_mult %s; it must be 0)", i, param.getParam(i).getLrMult());
    }
    DataType type = bottom.get(0).dataType();
    mean = Nd4j.create(type, channels);
    variance = Nd4j.create(type, channels);
    std = Nd4j.create(type, channels);
    scratch = Nd4j.create(type, channels);
    xNorm = new Blob(type);
    temp = new Blob(type);
  }

  /** As Caffe: params without a spec get {@code lr_mult: 0}, so the solver never updates them. */
  @Override
  public LayerParameter paramSpecSource() {
    if (param.getParamCount() >= blobs.size()) {
      return param;
    }
    LayerParameter.Builder b = param.toBuilder();
    while (b.getParamCount() < blobs.size()) {
      b.addParam(ParamSpec.newBuilder().setLrMult(0));
    }
    return b.build();
  }

  @Override
  public void reshape(List<Blob> bottom, List<Blob> top) {
    Blob b = bottom.get(0);
    if (b.numAxes() > 1) {
      check(b.shape(1) == channels, "bottom %s has %d channels, the layer was set up for %d",
          b.shapeString(), b.shape(1), channels);
    }
    top.get(0).reshapeLike(b);
    xNorm.reshapeLike(b);
    temp.reshapeLike(b);
    num = b.numAxes() == 0 ? 1 : b.shape(0);
    spatial = num * channels == 0 ? 0 : b.count() / (num * channels);
  }

  @Override
  public void forward(List<Blob> bottom, List<Blob> top) {
    int n = num * spatial;
    if (bottom.get(0).count() == 0) {
      return;
    }
    INDArray x = bottomData.of(bottom.get(0).data(), num, channels, spatial);
    INDArray y = topData.of(top.get(0).data(), num, channels, spatial);
    INDArray meanBlob = meanData.of(blobs.get(0).data(), channels);
    INDArray varBlob = varData.of(blobs.get(1).data(), channels);
    DataView factor = blobs.get(2).dataView();
    if (useGlobalStats) {
      double f = factor.get(0);
      double sf = f == 0 ? 0 : 1 / f;
      meanBlob.mul(sf, mean);
      varBlob.mul(sf, variance);
    } else {
      ChannelOps.sumOuterInner(x, mean);
      mean.divi(n);
    }
    ChannelOps.sub(x, mean, y);
    if (!useGlobalStats) {
      INDArray sq = tempData.of(temp.data(), num, channels, spatial);
      y.mul(y, sq);
      ChannelOps.sumOuterInner(sq, variance);
      variance.divi(n);
      double m = bottom.get(0).count() / (double) channels;
      double correction = m > 1 ? m / (m - 1) : 1;
      factor.set(0, factor.get(0) * movingAverageFraction + 1);
      meanBlob.muli(movingAverageFraction).addi(mean);
      variance.mul(correction, scratch);
      varBlob.muli(movingAverageFraction).addi(scratch);
    }
    variance.add(eps, std);
    Transforms.sqrt(std, false);
    ChannelOps.div(y, std, y);
    xNorm.data().assign(top.get(0).data());
  }

  @Override
  public void backward(List<Blob> top, boolean[] propagateDown, List<Blob> bottom) {
    if (!propagateDown[0] || bottom.get(0).count() == 0) {
      return;
    }
    INDArray dy = topDiff.of(top.get(0).diff(), num, channels, spatial);
    INDArray dx = bottomDiff.of(bottom.get(0).diff(), num, channels, spatial);
    if (useGlobalStats) {
      ChannelOps.div(dy, std, dx);
      return;
    }
    // dx = (dy - mean(dy) - mean(dy * y) * y) / std, means per channel over batch and space.
    // One fused pass in double per channel: the per-channel sums of dx are analytically 0, and
    // the fewer float roundings keep the gradient of whatever feeds this layer close to Caffe's.
    DataView g = top.get(0).diffView();
    DataView out = bottom.get(0).diffView();
    DataView yv = xNorm.dataView();
    DataView sd = DataView.of(std, channels);
    int n = num * spatial;
    for (int c = 0; c < channels; c++) {
      double sdy = 0;
      double sdyy = 0;
      for (int k = 0; k < num; k++) {
        int base = (k * channels + c) * spatial;
        for (int i = 0; i < spatial; i++) {
          double v = g.get(base + i);
          sdy += v;
          sdyy += v * yv.get(base + i);
        }
      }
      double mdy = sdy / n;
      double mdyy = sdyy / n;
      double inv = 1 / sd.get(c);
      for (int k = 0; k < num; k++) {
        int base = (k * channels + c) * spatial;
        for (int i = 0; i < spatial; i++) {
          out.set(base + i, (g.get(base + i) - mdy - mdyy * yv.get(base + i)) * inv);
        }
      }
    }
  }
}
