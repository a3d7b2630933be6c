package org.kaffee.visual;

import java.util.ArrayList;
import java.util.List;
import org.kaffee.core.Blob;
import org.kaffee.core.DataView;
import org.kaffee.core.KaffeeException;
import org.kaffee.core.Layer;
import org.kaffee.data.Image;

/** Pictures of a net's insides: a layer's filters and the feature maps a blob holds. */
public final class BlobPictures {
  private BlobPictures() {
  }

  /**
   * The filters of a layer (its first parameter blob, num_output x channels x kh x kw), each
   * normalised on its own: one colour tile per filter when the layer sees 3 channels, one
   * gray tile per filter for 1 channel, else one row per filter with a tile per channel.
   */
  public static Image filters(Layer layer) {
    KaffeeException.check(!layer.blobs().isEmpty() && layer.blobs().get(0).numAxes() == 4,
        "layer %s (%s) has no 4-axis weights to draw as filters", layer.name(), layer.type());
    Blob weights = layer.blobs().get(0);
    int filters = weights.shape(0);
    int channels = weights.shape(1);
    int kh = weights.shape(2);
    int kw = weights.shape(3);
    float[] values = values(weights);
    int plane = kh * kw;
    List<float[]> tiles = new ArrayList<>();
    TileGrid grid;
    if (channels == 1 || channels == 3) {
      for (int f = 0; f < filters; f++) {
        tiles.add(slice(values, f * channels * plane, channels * plane));
      }
      grid = new TileGrid(filters, 0, channels, kh, kw);
    } else {
      for (int i = 0; i < filters * channels; i++) {
        tiles.add(slice(values, i * plane, plane));
      }
      grid = new TileGrid(filters * channels, channels, 1, kh, kw);
    }
    return grid.render(tiles, true);
  }

  /**
   * The maps of the first image of a blob (N x C x H x W, or N x C drawn as C one-pixel
   * tiles) as gray tiles sharing one value range, so a weak map looks dark.
   */
  public static Image featureMaps(Blob blob) {
    KaffeeException.check(blob.numAxes() >= 2, "blob of shape %s has no channels to draw",
        blob.shapeString());
    int channels = blob.shape(1);
    int h = blob.numAxes() > 2 ? blob.shape(2) : 1;
    int plane = blob.count(2);
    float[] first = slice(values(blob), 0, channels * plane);
    List<float[]> tiles = new ArrayList<>();
    for (int c = 0; c < channels; c++) {
      tiles.add(slice(first, c * plane, plane));
    }
    return new TileGrid(channels, 0, 1, h, plane / h).render(tiles, false);
  }

  /** The values of a blob as floats. */
  static float[] values(Blob blob) {
    DataView view = blob.dataView();
    float[] out = new float[blob.count()];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) view.get(i);
    }
    return out;
  }

  private static float[] slice(float[] values, int from, int length) {
    float[] out = new float[length];
    System.arraycopy(values, from, out, 0, length);
    return out;
  }
}
