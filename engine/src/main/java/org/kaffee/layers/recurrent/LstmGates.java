package org.kaffee.layers.recurrent;

import org.kaffee.core.DataView;

/**
 * The gates of one LSTM cell, read from its pre-activations {@code [i', f', o', g']} (each H
 * wide), and their gradients. LSTM and LSTMUnit both compute a cell through this class, so the
 * two give the same values from the same operations.
 */
final class LstmGates {
  /** Input gate {@code sigmoid(i')}. */
  double i;
  /** Forget gate {@code cont * sigmoid(f')}. */
  double f;
  /** Output gate {@code sigmoid(o')}. */
  double o;
  /** Candidate cell value {@code tanh(g')}. */
  double g;

  /**
   * Reads cell {@code d} of the gate block at {@code offset}. {@code cont = 0} closes the
   * forget gate, so a new sequence forgets the previous cell.
   */
  void read(DataView pre, int offset, int h, int d, double cont) {
    i = sigmoid(pre.get(offset + d));
    f = cont == 0 ? 0 : cont * sigmoid(pre.get(offset + h + d));
    o = sigmoid(pre.get(offset + 2 * h + d));
    g = Math.tanh(pre.get(offset + 3 * h + d));
  }

  /** {@code c = f * c_prev + i * g}. */
  double cell(double cPrev) {
    return f * cPrev + i * g;
  }

  /** {@code h = o * tanh(c)}. */
  double hidden(double c) {
    return o * Math.tanh(c);
  }

  /** The gradient of c: its own plus what reaches it through {@code h = o * tanh(c)}. */
  double cellDiff(double cDiff, double hDiff, double tanhC) {
    return cDiff + hDiff * o * (1 - tanhC * tanhC);
  }

  /** Writes the gradients of cell {@code d}'s four pre-activations at {@code offset}. */
  void writePreActivationDiffs(DataView diff, int offset, int h, int d, double cellDiff,
      double hDiff, double cPrev, double tanhC) {
    diff.set(offset + d, cellDiff * g * i * (1 - i));
    diff.set(offset + h + d, cellDiff * cPrev * f * (1 - f));
    diff.set(offset + 2 * h + d, hDiff * tanhC * o * (1 - o));
    diff.set(offset + 3 * h + d, cellDiff * i * (1 - g * g));
  }

  private static double sigmoid(double x) {
    return 1.0 / (1.0 + Math.exp(-x));
  }
}
