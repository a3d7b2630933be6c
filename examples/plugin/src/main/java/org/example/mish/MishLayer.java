package org.example.mish;

import java.util.List;
import org.kaffee.core.Blob;
import org.kaffee.core.BlobCounts;
import org.kaffee.core.DataView;
import org.kaffee.core.Layer;
import org.kaffee.proto.Caffe.LayerParameter;

/**
 * Mish activation, y = scale * x * tanh(softplus(x)), element by element; in place is fine.
 * {@code scale} is 1 for {@code type: "Mish"}; as the stand-in for a Caffe Python layer it is
 * read from {@code python_param.param_str} (a number, empty for 1), as a Python layer would
 * read {@code self.param_str}.
 */
public final class MishLayer extends Layer {
  private final double scale;
  private double[] savedBottom = new double[0];

  public MishLayer(LayerParameter param) {
    super(param, BlobCounts.of(1, 1));
    String text = param.getPythonParam().getParamStr().trim();
    try {
      scale = text.isEmpty() ? 1 : Double.parseDouble(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("param_str must be a number, got '" + text + "'");
    }
  }

  @Override
  public String type() {
    return param.getType();
  }

  @Override
  public void reshape(List<Blob> bottom, List<Blob> top) {
    top.get(0).reshapeLike(bottom.get(0));
  }

  @Override
  public void forward(List<Blob> bottom, List<Blob> top) {
    DataView x = bottom.get(0).dataView();
    DataView y = top.get(0).dataView();
    int n = bottom.get(0).count();
    if (savedBottom.length != n) {
      savedBottom = new double[n];
    }
    for (int i = 0; i < n; i++) {
      double v = x.get(i);
      savedBottom[i] = v;  // backward needs x, and a top in place overwrites it
      y.set(i, scale * v * Math.tanh(softplus(v)));
    }
  }

  /** dy/dx = scale * (tanh(sp) + x * sigmoid(x) * (1 - tanh(sp)^2)), sp = softplus(x). */
  @Override
  public void backward(List<Blob> top, boolean[] propagateDown, List<Blob> bottom) {
    if (!propagateDown[0]) {
      return;
    }
    DataView dy = top.get(0).diffView();
    DataView dx = bottom.get(0).diffView();
    for (int i = 0; i < savedBottom.length; i++) {
      double x = savedBottom[i];
      double t = Math.tanh(softplus(x));
      double sigmoid = 1 / (1 + Math.exp(-x));
      dx.set(i, dy.get(i) * scale * (t + x * sigmoid * (1 - t * t)));
    }
  }

  private static double softplus(double x) {
    return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
  }
}
