package org.kaffee.layers.common;

import java.util.List;
import org.kaffee.core.Blob;
import org.kaffee.core.BlobCounts;
import org.kaffee.core.DataView;
import org.kaffee.core.Layer;
import org.kaffee.proto.Caffe.LayerParameter;
import org.kaffee.proto.Caffe.TileParameter;

/**
 * Caffe's Tile: repeats the bottom {@code tiles} times along {@code axis} (each block of axes
 * {@code axis..} is copied whole); backward sums the copies.
 */
public final class TileLayer extends Layer {
  private int tiles;
  private int outer;
  private int inner;

  public TileLayer(LayerParameter param) {
    super(param, BlobCounts.of(1, 1));
  }

  @Override
  public String type() {
    return "Tile";
  }

  @Override
  public void reshape(List<Blob> bottom, List<Blob> top) {
    TileParameter p = param.getTileParam();
    Blob b = bottom.get(0);
    int axis = b.canonicalAxisIndex(p.getAxis());
    check(p.hasTiles(), "number of tiles must be specified");
    tiles = p.getTiles();
    check(tiles > 0, "number of tiles must be positive, got %d", tiles);
    int[] shape = b.shape();
    shape[axis] *= tiles;
    top.get(0).reshape(shape);
    outer = b.count(0, axis);
    inner = b.count(axis);
  }

  @Override
  public void forward(List<Blob> bottom, List<Blob> top) {
    DataView x = bottom.get(0).dataView();
    DataView y = top.get(0).dataView();
    int dst = 0;
    for (int o = 0; o < outer; o++) {
      int src = o * inner;
      for (int t = 0; t < tiles; t++) {
        for (int j = 0; j < inner; j++) {
          y.set(dst++, x.get(src + j));
        }
      }
    }
  }

  @Override
  public void backward(List<Blob> top, boolean[] propagateDown, List<Blob> bottom) {
    if (!propagateDown[0]) {
      return;
    }
    DataView dy = top.get(0).diffView();
    DataView dx = bottom.get(0).diffView();
    int src = 0;
    for (int o = 0; o < outer; o++) {
      int dst = o * inner;
      for (int j = 0; j < inner; j++) {
        dx.set(dst + j, dy.get(src + j));
      }
      src += inner;
      for (int t = 1; t < tiles; t++) {
        for (int j = 0; j < inner; j++) {
          dx.add(dst + j, dy.get(src + j));
        }
        src += inner;
      }
    }
  }
}
