package org.kaffee.layers.common;

import java.util.List;
import org.kaffee.core.Blob;
import org.kaffee.core.BlobCounts;
import org.kaffee.core.DataView;
import org.kaffee.core.Filler;
import org.kaffee.core.Layer;
import org.kaffee.proto.Caffe.FillerParameter;
import org.kaffee.proto.Caffe.LayerParameter;
import org.kaffee.proto.Caffe.NormalizeParameter;

/**
 * SSD's Normalize (weiliu89/caffe): each image's values (across_spatial) or each pixel's channel
 * vector divided by its L2 norm sqrt(sum x^2 + eps), then multiplied by a learned scale, one
 * value (channel_shared) or one per channel, filled by scale_filler (1 by default). Backward:
 * with g = dtop * scale, dx = (g - x * sum(g x) / norm^2) / norm per normalised group, and
 * dscale = sum dtop * x / norm over what the scale multiplies.
 */
public final class NormalizeLayer extends Layer {
  private final boolean acrossSpatial;
  private final boolean channelShared;
  private final double eps;
  private int num;
  private int channels;
  private int spatial;
  /** One norm per normalised group: per image, or per image and pixel. */
  private double[] norms = new double[0];

  public NormalizeLayer(LayerParameter param) {
    super(param, BlobCounts.of(1, 1));
    NormalizeParameter p = param.getNormParam();
    acrossSpatial = p.getAcrossSpatial();
    channelShared = p.getChannelShared();
    eps = p.getEps();
  }

  @Override
  public String type() {
    return "Normalize";
  }

  @Override
  protected void layerSetUp(List<Blob> bottom, List<Blob> top) {
    Blob b = bottom.get(0);
    check(b.numAxes() >= 2, "the bottom needs at least 2 axes, got shape %s", b.shapeString());
    check(top.get(0) != b, "cannot run in place: backward reads the bottom");
    int expected = channelShared ? 1 : b.shape(1);
    if (blobs.isEmpty()) {
      Blob scale = channelShared ? newBlob() : newBlob(expected);
      NormalizeParameter p = param.getNormParam();
      Filler.fill(p.hasScaleFiller() ? p.getScaleFiller()
          : FillerParameter.newBuilder().setType("constant").setValue(1).build(), scale);
      blobs.add(scale);
    }
    check(blobs.get(0).count() == expected, "the scale blob holds %d values, expected %d "
        + "(channel_shared: %s)", blobs.get(0).count(), expected, channelShared);
    setParamPropagateDown(0, true);
  }

  @Override
  public void reshape(List<Blob> bottom, List<Blob> top) {
    Blob b = bottom.get(0);
    num = b.shape(0);
    channels = b.shape(1);
    spatial = b.count(2);
    top.get(0).reshapeLike(b);
    int groups = acrossSpatial ? num : num * spatial;
    if (norms.length != groups) {
      norms = new double[groups];
    }
  }

  private int groupsPerImage() {
    return acrossSpatial ? 1 : spatial;
  }

  /** Pixels per channel in one group: the whole plane across spatial, else one. */
  private int width() {
    return acrossSpatial ? spatial : 1;
  }

  @Override
  public void forward(List<Blob> bottom, List<Blob> top) {
    DataView x = bottom.get(0).dataView();
    DataView y = top.get(0).dataView();
    DataView scale = blobs.get(0).dataView();
    int width = width();
    for (int n = 0; n < num; n++) {
      for (int g = 0; g < groupsPerImage(); g++) {
        int base = n * channels * spatial + g;
        double squares = 0;
        for (int c = 0; c < channels; c++) {
          for (int j = 0; j < width; j++) {
            double v = x.get(base + c * spatial + j);
            squares += v * v;
          }
        }
        double norm = Math.sqrt(squares + eps);
        norms[n * groupsPerImage() + g] = norm;
        for (int c = 0; c < channels; c++) {
          double s = scale.get(channelShared ? 0 : c) / norm;
          for (int j = 0; j < width; j++) {
            int i = base + c * spatial + j;
            y.set(i, x.get(i) * s);
          }
        }
      }
    }
  }

  @Override
  public void backward(List<Blob> top, boolean[] propagateDown, List<Blob> bottom) {
    DataView x = bottom.get(0).dataView();
    DataView dy = top.get(0).diffView();
    DataView scale = blobs.get(0).dataView();
    DataView dscale = blobs.get(0).diffView();
    DataView dx = bottom.get(0).diffView();
    int width = width();
    for (int n = 0; n < num; n++) {
      for (int g = 0; g < groupsPerImage(); g++) {
        int base = n * channels * spatial + g;
        double norm = norms[n * groupsPerImage() + g];
        double dot = 0;
        for (int c = 0; c < channels; c++) {
          double s = scale.get(channelShared ? 0 : c);
          double channelSum = 0;
          for (int j = 0; j < width; j++) {
            int i = base + c * spatial + j;
            dot += dy.get(i) * s * x.get(i);
            channelSum += dy.get(i) * x.get(i);
          }
          if (paramPropagateDown(0)) {
            dscale.add(channelShared ? 0 : c, channelSum / norm);
          }
        }
        if (!propagateDown[0]) {
          continue;
        }
        double project = dot / (norm * norm);
        for (int c = 0; c < channels; c++) {
          double s = scale.get(channelShared ? 0 : c);
          for (int j = 0; j < width; j++) {
            int i = base + c * spatial + j;
            dx.set(i, (dy.get(i) * s - x.get(i) * project) / norm);
          }
        }
      }
    }
  }
}
