package org.kaffee.kernels;

import org.kaffee.core.DataView;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Caffe's local response normalization on whole planes (one channel of one image): both passes
 * walk each image's channels in order with the element-wise steps of {@link LrnPlanes}, the images
 * split between the cores. Each window sum is summed afresh from the planes in the window (a
 * sliding sum would drift in float32). The scales are kept for backward, as Caffe keeps them.
 */
public final class Lrn {
  // Plane numbers in a worker's LrnPlanes: its working planes, then two rings of `size` planes
  // holding the channels of an ACROSS_CHANNELS window, then the scale planes of all images.
  private static final int SUM = 0;
  private static final int OUT = 1;
  private static final int X = 2;
  private static final int Y = 3;
  private static final int DY = 4;
  private static final int TMP = 5;
  private static final int ROWS = 6;
  private static final int SHIFTED = 7;
  private static final int RINGS = 8;

  private final int size;
  private final int half;
  private final double alpha;
  private final double beta;
  private final double k;
  private final boolean across;
  private int num;
  private int channels;
  private int height;
  private int width;
  /** One set per worker. */
  private LrnPlanes[] planes;

  /** ACROSS_CHANNELS ({@code across}) or WITHIN_CHANNEL normalization with Caffe's parameters. */
  public Lrn(int size, double alpha, double beta, double k, boolean across) {
    this.size = size;
    this.half = (size - 1) / 2;
    this.alpha = alpha;
    this.beta = beta;
    this.k = k;
    this.across = across;
  }

  /** Sizes the planes for blobs of {@code [num, channels, height, width]} in {@code type}. */
  public void reshape(int num, int channels, int height, int width, DataType type) {
    this.num = num;
    this.channels = channels;
    this.height = height;
    this.width = width;
    int own = scale(0, 0);
    if (planes == null || !planes[0].holds(type, own + num * channels, height * width)) {
      planes = LrnPlanes.forWorkers(Parallel.workers(), type, own, num * channels, height * width, beta);
    }
  }

  private int offset(int n, int c) {
    return (n * channels + c) * height * width;
  }

  /** The ring plane of channel {@code c}: bottom planes in forward, top diff planes in backward. */
  private int inRing(int c) {
    return RINGS + c % size;
  }

  private int ratioRing(int c) {
    return RINGS + size + c % size;
  }

  private int scale(int n, int c) {
    return RINGS + 2 * size + n * channels + c;
  }

  /** out = the normalized in. */
  public void forward(DataView in, DataView out) {
    // WITHIN_CHANNEL: AVE pooling's divisor is size * size everywhere, as stride 1 and pad half
    // keep every padded window inside [-half, extent + half).
    double shift = across ? k : 1;
    double perTerm = across ? alpha / size : alpha / (size * size);
    eachChannel((p, n, c) -> {
      int x = across ? channelSquares(p, in, n, c) : boxSquares(p, in, n, c);
      p.affine(SUM, shift, perTerm, scale(n, c));
      p.mulNegPow(x, scale(n, c), OUT);
      p.store(OUT, out, offset(n, c));
    });
  }

  /** One channel's work in a pass, with the planes of the worker doing it. */
  private interface ChannelStep {
    void run(LrnPlanes p, int n, int c);
  }

  /** Runs the step on each image's channels in order, the images split between the workers. */
  private void eachChannel(ChannelStep step) {
    Parallel.forRange(num, (worker, from, to) -> {
      for (int n = from; n < to; n++) {
        for (int c = 0; c < channels; c++) {
          step.run(planes[worker], n, c);
        }
      }
    });
  }

  /** SUM = the sum of squares over channels c - half .. c + half; returns the plane of channel c. */
  private int channelSquares(LrnPlanes p, DataView in, int n, int c) {
    // The ring holds the channels of the window; load those entering it (all but one at c = 0).
    for (int h = c == 0 ? 0 : c + half; h <= Math.min(c + half, channels - 1); h++) {
      p.load(in, offset(n, h), inRing(h));
    }
    p.zero(SUM);
    for (int j = Math.max(c - half, 0); j <= Math.min(c + half, channels - 1); j++) {
      p.addSquares(inRing(j), SUM);
    }
    return inRing(c);
  }

  /** SUM = the sums of squares over the spatial windows of channel c; returns its plane. */
  private int boxSquares(LrnPlanes p, DataView in, int n, int c) {
    p.load(in, offset(n, c), X);
    p.zero(TMP);
    p.addSquares(X, TMP);
    boxSum(p, TMP, SUM);
    return X;
  }

  /**
   * dst = the sums of src over the size x size window around each element, clipped to the plane:
   * row sums, then column sums, each adding copies of the plane shifted by -half .. half (zero where
   * a shift reads outside the plane), since whole-plane adds vectorize. The windows are symmetric,
   * so the same sums also gather the gradient that AVE pooling's backward would scatter.
   */
  private void boxSum(LrnPlanes p, int src, int dst) {
    p.zero(ROWS);
    int reach = Math.min(half, width - 1);
    for (int d = -reach; d <= reach; d++) {
      p.zero(SHIFTED);
      // Row by row, so that nothing wraps into the next row.
      for (int y = 0; y < height; y++) {
        p.copy(src, y * width + Math.max(d, 0), SHIFTED, y * width + Math.max(-d, 0), width - Math.abs(d));
      }
      p.add(SHIFTED, ROWS);
    }
    p.zero(dst);
    reach = Math.min(half, height - 1);
    for (int d = -reach; d <= reach; d++) {
      p.zero(SHIFTED);
      p.copy(ROWS, Math.max(d, 0) * width, SHIFTED, Math.max(-d, 0) * width, (height - Math.abs(d)) * width);
      p.add(SHIFTED, dst);
    }
  }

  /** g = the gradient for bottom x, given the forward's output y and its gradient dy (g is overwritten). */
  public void backward(DataView x, DataView y, DataView dy, DataView g) {
    // bottom_diff = top_diff * scale^-beta - factor * bottom * (window sum of top_diff * top / scale)
    double factor = 2 * alpha * beta / (across ? size : size * size);
    eachChannel((p, n, c) -> {
      int dyPlane = across ? channelRatios(p, y, dy, n, c) : boxRatios(p, y, dy, n, c);
      p.load(x, offset(n, c), X);
      p.mulNegPow(dyPlane, scale(n, c), OUT);
      p.subProduct(X, SUM, factor, OUT);
      p.store(OUT, g, offset(n, c));
    });
  }

  /** SUM = the sum of ratios over channels c - half .. c + half; returns the top diff plane of channel c. */
  private int channelRatios(LrnPlanes p, DataView y, DataView dy, int n, int c) {
    for (int h = c == 0 ? 0 : c + half; h <= Math.min(c + half, channels - 1); h++) {
      loadRatio(p, y, dy, n, h, inRing(h), ratioRing(h));
    }
    p.zero(SUM);
    for (int j = Math.max(c - half, 0); j <= Math.min(c + half, channels - 1); j++) {
      p.add(ratioRing(j), SUM);
    }
    return inRing(c);
  }

  /** SUM = the sums of ratios over the spatial windows of channel c; returns its top diff plane. */
  private int boxRatios(LrnPlanes p, DataView y, DataView dy, int n, int c) {
    loadRatio(p, y, dy, n, c, DY, TMP);
    boxSum(p, TMP, SUM);
    return DY;
  }

  /** Loads channel c's top diff into dyPlane and its {@code top_diff * top / scale} into ratioPlane. */
  private void loadRatio(LrnPlanes p, DataView y, DataView dy, int n, int c, int dyPlane, int ratioPlane) {
    p.load(dy, offset(n, c), dyPlane);
    p.load(y, offset(n, c), Y);
    p.ratio(dyPlane, Y, scale(n, c), ratioPlane);
  }
}
