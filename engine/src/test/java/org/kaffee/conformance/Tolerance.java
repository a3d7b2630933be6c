package org.kaffee.conformance;

/**
 * The conformance README's element-wise tolerances:
 * {@code |k - c| <= rel*|c| + scaleRel*M + abs}, with M the largest |c| of the blob.
 */
record Tolerance(double rel, double scaleRel, double abs) {
  static final Tolerance FORWARD = new Tolerance(1e-4, 1e-5, 1e-6);
  static final Tolerance GRADIENT = new Tolerance(2e-3, 1e-4, 1e-6);
  static final Tolerance LOSS = new Tolerance(2e-3, 0, 1e-6);
  static final Tolerance LR = new Tolerance(1e-5, 0, 0);

  /** Null when all match; otherwise a message naming the first mismatch and the count. */
  String compare(String what, double[] caffe, double[] kaffee) {
    if (caffe.length != kaffee.length) {
      return what + ": Caffe has " + caffe.length + " values, Kaffee " + kaffee.length;
    }
    double max = 0;
    for (double c : caffe) {
      max = Math.max(max, Math.abs(c));
    }
    int bad = 0;
    String first = null;
    for (int i = 0; i < caffe.length; i++) {
      double limit = rel * Math.abs(caffe[i]) + scaleRel * max + abs;
      if (!(Math.abs(kaffee[i] - caffe[i]) <= limit)) {
        bad++;
        if (first == null) {
          first = String.format("%s[%d]: Caffe %.7g, Kaffee %.7g", what, i, caffe[i], kaffee[i]);
        }
      }
    }
    return bad == 0 ? null : first + " (" + bad + " of " + caffe.length + " differ)";
  }
}
