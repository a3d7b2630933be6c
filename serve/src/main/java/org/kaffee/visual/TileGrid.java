package org.kaffee.visual;

import java.util.List;
import org.kaffee.data.Image;

/**
 * Equal tiles (filters, feature maps) laid out row by row with a one-pixel white gap, each
 * value zoomed to a square of pixels so a 5x5 filter is still visible, as pycaffe's
 * vis_square does. Tiles are planar (CHW) floats of 1 channel (gray) or 3 (colour, in
 * Caffe's B, G, R order).
 */
public final class TileGrid {
  /** Tiles smaller than this many pixels are zoomed up to it. */
  static final int MIN_TILE_PIXELS = 32;
  static final int MAX_ZOOM = 16;
  /** A picture shown alone (a maximising input, a mean image) is zoomed up to this. */
  static final int SINGLE_PIXELS = 112;
  public static final int GAP = 1;

  public final int count;
  public final int columns;
  public final int rows;
  public final int channels;
  public final int tileHeight;
  public final int tileWidth;
  public final int zoom;

  /** A grid of {@code count} tiles in {@code columns} columns (0: as square as possible). */
  public TileGrid(int count, int columns, int channels, int tileHeight, int tileWidth) {
    this(count, columns, channels, tileHeight, tileWidth, MIN_TILE_PIXELS);
  }

  /** One picture on its own, zoomed to at least {@link #SINGLE_PIXELS} pixels. */
  public static TileGrid single(int channels, int height, int width) {
    return new TileGrid(1, 1, channels, height, width, SINGLE_PIXELS);
  }

  private TileGrid(int count, int columns, int channels, int tileHeight, int tileWidth, int minPixels) {
    org.kaffee.core.KaffeeException.check(channels == 1 || channels == 3,
        "a picture tile has 1 or 3 channels, not %d", channels);
    this.count = count;
    this.columns = columns > 0 ? columns : (int) Math.ceil(Math.sqrt(count));
    this.rows = (count + this.columns - 1) / this.columns;
    this.channels = channels;
    this.tileHeight = tileHeight;
    this.tileWidth = tileWidth;
    int side = Math.max(tileHeight, tileWidth);
    this.zoom = Math.max(1, Math.min(MAX_ZOOM, (minPixels + side - 1) / side));
  }

  /** The picture's top-left pixel row of a tile. */
  public int originY(int tile) {
    return GAP + (tile / columns) * (tileHeight * zoom + GAP);
  }

  public int originX(int tile) {
    return GAP + (tile % columns) * (tileWidth * zoom + GAP);
  }

  public int height() {
    return GAP + rows * (tileHeight * zoom + GAP);
  }

  public int width() {
    return GAP + columns * (tileWidth * zoom + GAP);
  }

  /**
   * Draws the tiles, mapping [min, max] to [0, 255]: of each tile on its own when
   * {@code eachOwnRange}, else of all tiles together (so weak maps look dark). A tile
   * with a single value is drawn black.
   */
  public Image render(List<float[]> tiles, boolean eachOwnRange) {
    int colourPlanes = channels;
    int h = height();
    int w = width();
    byte[] pixels = new byte[colourPlanes * h * w];
    java.util.Arrays.fill(pixels, (byte) 255);
    float[] shared = eachOwnRange ? null : range(tiles);
    for (int t = 0; t < tiles.size(); t++) {
      float[] tile = tiles.get(t);
      float[] r = shared != null ? shared : range(List.of(tile));
      float span = r[1] - r[0];
      for (int c = 0; c < colourPlanes; c++) {
        for (int y = 0; y < tileHeight * zoom; y++) {
          for (int x = 0; x < tileWidth * zoom; x++) {
            float v = tile[(c * tileHeight + y / zoom) * tileWidth + x / zoom];
            int level = span > 0 ? Math.round((v - r[0]) / span * 255f) : 0;
            pixels[(c * h + originY(t) + y) * w + originX(t) + x] = (byte) level;
          }
        }
      }
    }
    return new Image(colourPlanes, h, w, pixels);
  }

  private static float[] range(List<float[]> tiles) {
    float min = Float.POSITIVE_INFINITY;
    float max = Float.NEGATIVE_INFINITY;
    for (float[] tile : tiles) {
      for (float v : tile) {
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
    }
    return new float[] {min, max};
  }
}
