package org.kaffee.core;

/**
 * How many bottom and top blobs a layer takes: Caffe's ExactNum / Min / Max *Blobs,
 * EqualNumBottomTopBlobs and AutoTopBlobs in one value, declared once in the layer's constructor.
 *
 * @param topPerBottom the layer needs exactly as many tops as bottoms (Convolution)
 * @param autoTops the Net creates anonymous tops up to {@code minTops} (loss layers)
 */
public record BlobCounts(int minBottoms, int maxBottoms, int minTops, int maxTops,
    boolean topPerBottom, boolean autoTops) {
  /** No upper limit. */
  public static final int MANY = Integer.MAX_VALUE;
  /** No constraint at all: the default of a layer that declares nothing. */
  public static final BlobCounts ANY = new BlobCounts(0, MANY, 0, MANY, false, false);

  /** Exactly {@code bottoms} bottoms and {@code tops} tops. */
  public static BlobCounts of(int bottoms, int tops) {
    return new BlobCounts(bottoms, bottoms, tops, tops, false, false);
  }

  /** Bottoms and tops each within [min, max] ({@link #MANY}: unbounded). */
  public static BlobCounts ranges(int minBottoms, int maxBottoms, int minTops, int maxTops) {
    return new BlobCounts(minBottoms, maxBottoms, minTops, maxTops, false, false);
  }

  public BlobCounts withTopPerBottom() {
    return new BlobCounts(minBottoms, maxBottoms, minTops, maxTops, true, autoTops);
  }

  public BlobCounts withAutoTops() {
    return new BlobCounts(minBottoms, maxBottoms, minTops, maxTops, topPerBottom, true);
  }

  /** Throws a one-line error naming the layer when the blob lists break these counts. */
  void check(String layer, int bottoms, int tops) {
    checkOne(layer, "bottom", bottoms, minBottoms, maxBottoms);
    checkOne(layer, "top", tops, minTops, maxTops);
    KaffeeException.check(!topPerBottom || bottoms == tops,
        "layer %s needs as many tops as bottoms, got %d bottoms and %d tops", layer, bottoms, tops);
  }

  private static void checkOne(String layer, String what, int n, int min, int max) {
    KaffeeException.check(min != max || n == min, "layer %s takes %d %s blob(s), got %d",
        layer, min, what, n);
    KaffeeException.check(n >= min, "layer %s takes at least %d %s blob(s), got %d",
        layer, min, what, n);
    KaffeeException.check(n <= max, "layer %s takes at most %d %s blob(s), got %d",
        layer, max, what, n);
  }
}
