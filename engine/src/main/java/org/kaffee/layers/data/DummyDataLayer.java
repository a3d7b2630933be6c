package org.kaffee.layers.data;

import java.util.List;
import org.kaffee.core.Blob;
import org.kaffee.core.BlobCounts;
import org.kaffee.core.Filler;
import org.kaffee.core.Layer;
import org.kaffee.proto.Caffe.DummyDataParameter;
import org.kaffee.proto.Caffe.FillerParameter;
import org.kaffee.proto.Caffe.LayerParameter;

/**
 * Produces tops filled by fillers (Caffe's DummyData): one shape and filler for all tops or
 * one per top. Constant fillers fill once; others refill on every forward.
 */
public final class DummyDataLayer extends Layer {
  private FillerParameter[] fillers;
  /** Per top: refilled on every forward (non-constant fillers), as Caffe's refill_; constant tops keep what callers write. */
  private boolean[] refill;

  public DummyDataLayer(LayerParameter param) {
    super(param, BlobCounts.ranges(0, 0, 1, BlobCounts.MANY));
  }

  @Override
  public String type() {
    return "DummyData";
  }

  @Override
  protected void layerSetUp(List<Blob> bottom, List<Blob> top) {
    DummyDataParameter p = param.getDummyDataParam();
    int n = top.size();
    int legacy = Math.max(Math.max(p.getNumCount(), p.getChannelsCount()),
        Math.max(p.getHeightCount(), p.getWidthCount()));
    int shapes = legacy > 0 ? legacy : p.getShapeCount();
    check(legacy == 0 || p.getShapeCount() == 0, "give either shape or num/channels/height/width, not both");
    check(shapes == 1 || shapes == n, "give 1 or %d shapes, got %d", n, shapes);
    check(p.getDataFillerCount() <= 1 || p.getDataFillerCount() == n,
        "give 0, 1 or %d data_filler, got %d", n, p.getDataFillerCount());
    if (legacy > 0) {
      check(p.getNumCount() == shapes && p.getChannelsCount() == shapes
          && p.getHeightCount() == shapes && p.getWidthCount() == shapes,
          "num, channels, height and width must be given equally often");
    }
    fillers = new FillerParameter[n];
    refill = new boolean[n];
    for (int i = 0; i < n; i++) {
      fillers[i] = p.getDataFillerCount() == 0 ? FillerParameter.newBuilder().setValue(0).build()
          : p.getDataFiller(p.getDataFillerCount() == 1 ? 0 : i);
      refill[i] = !fillers[i].getType().equals("constant");
      int s = shapes == 1 ? 0 : i;
      if (legacy > 0) {
        top.get(i).reshape(p.getNum(s), p.getChannels(s), p.getHeight(s), p.getWidth(s));
      } else {
        top.get(i).reshape(p.getShape(s));
      }
      Filler.fill(fillers[i], top.get(i));
    }
  }

  @Override
  public void reshape(List<Blob> bottom, List<Blob> top) {
  }

  @Override
  public void forward(List<Blob> bottom, List<Blob> top) {
    for (int i = 0; i < top.size(); i++) {
      if (refill[i]) {
        Filler.fill(fillers[i], top.get(i));
      }
    }
  }

  @Override
  public void backward(List<Blob> top, boolean[] propagateDown, List<Blob> bottom) {
  }
}
