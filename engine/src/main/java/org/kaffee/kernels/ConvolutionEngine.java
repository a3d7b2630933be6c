package org.kaffee.kernels;

import org.kaffee.core.Blob;

/**
 * One way of computing a convolution (or its transpose) for a fixed {@link ConvolutionShape};
 * {@link ConvolutionStrategy} names them and creates them. An engine is bound to the layer's
 * weight and bias blobs and keeps its scratch memory between calls.
 */
public interface ConvolutionEngine {
  /** Which gradients a backward pass computes. */
  record Wanted(boolean weights, boolean bias, boolean bottom) {
    public boolean any() {
      return weights || bias || bottom;
    }
  }

  /** top = the layer's output for {@code bottom}, the bias added when the layer has one. */
  void forward(Blob bottom, Blob top);

  /**
   * Adds the weight and bias gradients to their diffs and overwrites the bottom diff, each only
   * when wanted. The bottom must hold the values of the forward pass.
   */
  void backward(Blob top, Blob bottom, Wanted wanted);
}
