package org.kaffee.layers.detection;

import org.kaffee.proto.Caffe.MultiBoxLossParameter.ConfLossType;

/**
 * MultiBoxLoss's loss on one prior's class scores (a row of {@code classes} values), as the
 * fork's inner SoftmaxWithLoss and SigmoidCrossEntropyLoss layers and its ComputeConfLoss
 * compute it. A row's target is a label for SOFTMAX, {@code classes} target values for LOGISTIC.
 */
enum ConfidenceLoss {
  /** -log(max(softmax(x)[label], FLT_MIN)); gradient softmax(x) - onehot(label). */
  SOFTMAX {
    @Override
    int targetWidth(int classes) {
      return 1;
    }

    @Override
    void setLabel(double[] targets, int row, int classes, int label) {
      targets[row] = label;
    }

    @Override
    double loss(double[] x, int at, int classes, double[] targets, int row) {
      double[] p = softmax(x, at, classes);
      return -Math.log(Math.max(p[(int) targets[row]], Float.MIN_NORMAL));
    }

    @Override
    void gradient(double[] x, int at, int classes, double[] targets, int row, double[] out) {
      double[] p = softmax(x, at, classes);
      p[(int) targets[row]] -= 1;
      System.arraycopy(p, 0, out, at, classes);
    }
  },
  /** Sigmoid cross-entropy summed over the classes; gradient sigmoid(x) - target. */
  LOGISTIC {
    @Override
    int targetWidth(int classes) {
      return classes;
    }

    @Override
    void setLabel(double[] targets, int row, int classes, int label) {
      targets[row * classes + label] = 1;
    }

    @Override
    double loss(double[] x, int at, int classes, double[] targets, int row) {
      double loss = 0;
      for (int c = 0; c < classes; c++) {
        double v = x[at + c];
        double t = targets[row * classes + c];
        double positive = v >= 0 ? 1 : 0;
        // the stable form of -(t log sigmoid(v) + (1 - t) log(1 - sigmoid(v)))
        loss -= v * (t - positive) - Math.log(1 + Math.exp(v - 2 * v * positive));
      }
      return loss;
    }

    @Override
    void gradient(double[] x, int at, int classes, double[] targets, int row, double[] out) {
      for (int c = 0; c < classes; c++) {
        out[at + c] = 1 / (1 + Math.exp(-x[at + c])) - targets[row * classes + c];
      }
    }
  };

  static ConfidenceLoss of(ConfLossType type) {
    return type == ConfLossType.LOGISTIC ? LOGISTIC : SOFTMAX;
  }

  /** How many target values a row has. */
  abstract int targetWidth(int classes);

  /** Makes {@code label} the target of row {@code row}. */
  abstract void setLabel(double[] targets, int row, int classes, int label);

  /** The loss of the scores {@code x[at, at + classes)} against the targets of row {@code row}. */
  abstract double loss(double[] x, int at, int classes, double[] targets, int row);

  /** Writes the gradient of {@link #loss} to {@code out[at, at + classes)}. */
  abstract void gradient(double[] x, int at, int classes, double[] targets, int row, double[] out);

  /** The loss of one row against a single label (the fork's ComputeConfLoss, for mining). */
  double lossOfLabel(double[] x, int at, int classes, int label) {
    double[] targets = new double[targetWidth(classes)];
    setLabel(targets, 0, classes, label);
    return loss(x, at, classes, targets, 0);
  }

  private static double[] softmax(double[] x, int at, int classes) {
    double max = Double.NEGATIVE_INFINITY;
    for (int c = 0; c < classes; c++) {
      max = Math.max(max, x[at + c]);
    }
    double[] p = new double[classes];
    double sum = 0;
    for (int c = 0; c < classes; c++) {
      p[c] = Math.exp(x[at + c] - max);
      sum += p[c];
    }
    for (int c = 0; c < classes; c++) {
      p[c] /= sum;
    }
    return p;
  }
}
