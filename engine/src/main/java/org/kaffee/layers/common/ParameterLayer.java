package org.kaffee.layers.common;

import java.util.List;
import org.kaffee.core.Blob;
import org.kaffee.core.BlobCounts;
import org.kaffee.core.Layer;
import org.kaffee.proto.Caffe.LayerParameter;

/**
 * Caffe's Parameter: exposes one learnable blob of {@code parameter_param.shape} (zeros until
 * loaded or trained) as its top; the top shares the blob's data and diff, so the gradient
 * written into the top is the param's gradient.
 */
public final class ParameterLayer extends Layer {
  public ParameterLayer(LayerParameter param) {
    super(param, BlobCounts.of(0, 1));
  }

  @Override
  public String type() {
    return "Parameter";
  }

  @Override
  protected void layerSetUp(List<Blob> bottom, List<Blob> top) {
    if (blobs.isEmpty()) {
      Blob blob = newBlob();
      blob.reshape(param.getParameterParam().getShape());
      blobs.add(blob);
    }
    top.get(0).reshape(param.getParameterParam().getShape());
    for (int i = 0; i < blobs.size(); i++) {
      setParamPropagateDown(i, true);
    }
  }

  @Override
  public void reshape(List<Blob> bottom, List<Blob> top) {
  }

  @Override
  public void forward(List<Blob> bottom, List<Blob> top) {
    Blob blob = blobs.get(0);
    Blob t = top.get(0);
    if (!t.sharesDataWith(blob)) {
      t.reshapeLike(blob);
      t.shareData(blob);
      t.shareDiff(blob);
    }
  }

  @Override
  public void backward(List<Blob> top, boolean[] propagateDown, List<Blob> bottom) {
  }
}
