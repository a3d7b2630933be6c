package org.kaffee.layers.recurrent;

import java.util.List;
import org.kaffee.core.Blob;
import org.kaffee.core.BlobCounts;
import org.kaffee.core.DataView;
import org.kaffee.core.Filler;
import org.kaffee.core.Layer;
import org.kaffee.proto.Caffe.LayerParameter;
import org.kaffee.proto.Caffe.RecurrentParameter;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Caffe's RecurrentLayer base: bottoms {@code x [T, N, ...]}, {@code cont [T, N]}, an optional
 * static input {@code x_static [N, ...]} and, with {@code expose_hidden}, the initial hidden
 * state blobs; tops the output {@code [T, N, num_output]} and, with {@code expose_hidden}, the
 * final hidden state blobs. Caffe unrolls an internal net; Kaffee computes the same math
 * directly, one gemm per time step, with the same param blobs (count, order and shapes).
 *
 * <p>Without {@code expose_hidden} the hidden state of the last time step carries over to the
 * first step of the next forward pass (zero at first), as in Caffe; {@code cont = 0} resets
 * it. No gradient crosses a batch boundary, and none reaches {@code cont}.
 */
abstract class RecurrentLayer extends Layer {
  protected int numOutput;
  protected int steps;
  protected int streams;
  protected int inputDim;
  protected int staticDim;
  protected boolean staticInput;
  protected boolean exposeHidden;
  protected DataType bufferType;
  /** A column of ones: the bias enters every row of a gemm as {@code ones * b}. */
  protected Blob ones;
  /** {@code W_static x_static}, the same for every time step. */
  protected Blob staticTerm;
  /** The pre-activation gradient summed over time: what reaches the static input. */
  private Blob staticDiff;

  /** How many recurrent state blobs (RNN: h; LSTM: h and c). */
  protected final int numRecurrentBlobs;

  /**
   * Bottoms: x, cont, an optional static input, and with {@code expose_hidden} the initial
   * states; tops: the output, and with {@code expose_hidden} the final states.
   */
  RecurrentLayer(LayerParameter param, int numRecurrentBlobs) {
    super(param, blobCounts(param, numRecurrentBlobs));
    this.numRecurrentBlobs = numRecurrentBlobs;
  }

  private static BlobCounts blobCounts(LayerParameter param, int numRecurrentBlobs) {
    int exposed = param.getRecurrentParam().getExposeHidden() ? numRecurrentBlobs : 0;
    return BlobCounts.ranges(2 + exposed, 3 + exposed, 1 + exposed, 1 + exposed);
  }

  @Override
  public boolean allowForceBackward(int bottomIndex) {
    return bottomIndex != 1;
  }

  /** 1 when the static input's weight sits at param 2 and moves the later params up by one. */
  protected int staticOffset() {
    return staticInput ? 1 : 0;
  }

  /** Index of the first exposed hidden-state bottom. */
  protected int hiddenBottomOffset() {
    return 2 + (staticInput ? 1 : 0);
  }

  @Override
  protected void layerSetUp(List<Blob> bottom, List<Blob> top) {
    RecurrentParameter p = param.getRecurrentParam();
    Blob x = bottom.get(0);
    check(x.numAxes() >= 2, "bottom[0] must have at least 2 axes -- (#timesteps, #streams, ...)");
    steps = x.shape(0);
    streams = x.shape(1);
    check(bottom.get(1).numAxes() == 2, "bottom[1] must have exactly 2 axes -- (#timesteps, #streams)");
    check(bottom.get(1).shape(0) == steps && bottom.get(1).shape(1) == streams,
        "cont %s does not match x %s", bottom.get(1).shapeString(), x.shapeString());
    exposeHidden = p.getExposeHidden();
    staticInput = bottom.size() > 2 + (exposeHidden ? numRecurrentBlobs : 0);
    if (staticInput) {
      check(bottom.get(2).numAxes() >= 1 && bottom.get(2).shape(0) == streams,
          "x_static %s must have %d (#streams) rows", bottom.get(2).shapeString(), streams);
      staticDim = bottom.get(2).count(1);
    }
    numOutput = p.getNumOutput();
    check(numOutput > 0, "num_output must be positive");
    inputDim = x.count(2);
    if (blobs.isEmpty()) {
      createParams(p);
    } else {
      checkParams();
    }
    for (int i = 0; i < blobs.size(); i++) {
      setParamPropagateDown(i, true);
    }
  }

  /** Creates the learnable blobs in Caffe's order: biases from bias_filler, weights from weight_filler. */
  private void createParams(RecurrentParameter p) {
    int[][] shapes = paramShapes();
    for (int i = 0; i < shapes.length; i++) {
      Blob b = newBlob(shapes[i]);
      Filler.fill(shapes[i].length == 1 ? p.getBiasFiller() : p.getWeightFiller(), b);
      blobs.add(b);
    }
  }

  /** Shapes of the learnable blobs, in Caffe's order. */
  protected abstract int[][] paramShapes();

  private void checkParams() {
    int[][] shapes = paramShapes();
    check(blobs.size() == shapes.length, "expected %d param blobs, got %d", shapes.length, blobs.size());
    for (int i = 0; i < shapes.length; i++) {
      check(java.util.Arrays.equals(blobs.get(i).shape(), shapes[i]),
          "param blob %d has shape %s, expected %s", i, blobs.get(i).shapeString(),
          Blob.shapeString(shapes[i]));
    }
  }

  /** Checks the bottoms and returns true when the internal buffers must be re-made. */
  protected boolean reshapeCommon(List<Blob> bottom, List<Blob> top) {
    Blob x = bottom.get(0);
    check(x.numAxes() >= 2, "bottom[0] must have at least 2 axes -- (#timesteps, #streams, ...)");
    check(x.shape(0) == steps, "input number of timesteps changed");
    check(x.count(2) == inputDim, "input size changed from %d to %d", inputDim, x.count(2));
    int n = x.shape(1);
    Blob cont = bottom.get(1);
    check(cont.numAxes() == 2 && cont.shape(0) == steps && cont.shape(1) == n,
        "cont %s does not match x %s", cont.shapeString(), x.shapeString());
    if (staticInput) {
      check(bottom.get(2).shape(0) == n && bottom.get(2).count(1) == staticDim,
          "x_static %s does not match", bottom.get(2).shapeString());
    }
    if (exposeHidden) {
      for (int i = hiddenBottomOffset(); i < bottom.size(); i++) {
        Blob h = bottom.get(i);
        check(h.numAxes() == 3 && h.shape(0) == 1 && h.shape(1) == n && h.shape(2) == numOutput,
            "shape mismatch - bottom[%d] %s, expected (1 %d %d)", i, h.shapeString(), n, numOutput);
      }
    }
    top.get(0).reshape(steps, n, numOutput);
    for (int i = 1; i < top.size(); i++) {
      top.get(i).reshape(1, n, numOutput);
    }
    boolean remake = n != streams || bufferType != x.dataType();
    streams = n;
    bufferType = x.dataType();
    return remake;
  }

  // ---- the parts RNN and LSTM share ---------------------------------------------

  /**
   * Makes the buffers of the input terms for pre-activations {@code width} wide per stream
   * (RNN: H, LSTM: 4H for its gates).
   */
  protected void makeInputBuffers(int width) {
    ones = buffer(steps * streams, 1);
    ones.data().assign(1);
    staticTerm = buffer(streams, width);
    staticDiff = buffer(streams, width);
  }

  /**
   * The initial recurrent state {@code which} (0: h, 1: LSTM's c): the exposed bottom, or the
   * last state of the previous pass.
   */
  protected void loadInitialState(Blob initial, List<Blob> bottom, int which, INDArray[] stateRows) {
    if (exposeHidden) {
      initial.data().assign(as2d(bottom.get(hiddenBottomOffset() + which), streams, numOutput));
    } else {
      initial.data().assign(stateRows[steps - 1]);
    }
  }

  /**
   * The pre-activation terms that do not depend on the previous state, for all steps at once:
   * {@code pre = x W_x^T + b}; with a static input also {@code staticTerm = x_static W_static^T}.
   */
  protected void forwardInputTerms(List<Blob> bottom, INDArray pre, int width) {
    gemm(as2d(bottom.get(0), steps * streams, inputDim), as2d(blobs.get(0), width, inputDim), pre,
        false, true, 0.0);
    gemm(ones.data(), as2d(blobs.get(1), 1, width), pre, false, false, 1.0);
    if (staticInput) {
      gemm(as2d(bottom.get(2), streams, staticDim), as2d(blobs.get(2), width, staticDim),
          staticTerm.data(), false, true, 0.0);
    }
  }

  /**
   * Step {@code t}'s input to the recurrent weight, {@code cont_t * h_{t-1}} (h_{-1} is the
   * initial state): a 0 in cont starts a new sequence.
   */
  protected void maskPreviousState(DataView cont, int t, DataView initial, DataView states,
      DataView masked) {
    int h = numOutput;
    if (t == 0) {
      scaleByCont(cont, 0, initial, 0, masked, 0, h);
    } else {
      int nh = streams * h;
      scaleByCont(cont, t, states, (t - 1) * nh, masked, t * nh, h);
    }
  }

  /**
   * Backward from the pre-activation gradient {@code dPre [T*N, width]} of all steps: the
   * gradients of the recurrent weight (its input was {@code masked}), of W_x, b and the input,
   * and with a static input those of W_static and x_static, from dPre summed over time.
   */
  protected void backwardInputTerms(Blob dPre, Blob masked, int width, boolean[] propagateDown,
      List<Blob> bottom) {
    int tn = steps * streams;
    int recurrent = 2 + staticOffset();
    INDArray d = dPre.data();
    if (paramPropagateDown(recurrent)) {
      gemm(d, masked.data(), diff2d(blobs.get(recurrent), width, numOutput), true, false, 1.0);
    }
    if (paramPropagateDown(0)) {
      gemm(d, as2d(bottom.get(0), tn, inputDim), diff2d(blobs.get(0), width, inputDim), true, false, 1.0);
    }
    if (paramPropagateDown(1)) {
      gemm(ones.data(), d, diff2d(blobs.get(1), 1, width), true, false, 1.0);
    }
    if (propagateDown[0]) {
      gemm(d, as2d(blobs.get(0), width, inputDim), diff2d(bottom.get(0), tn, inputDim), false, false, 0.0);
    }
    if (staticInput && (paramPropagateDown(2) || propagateDown[2])) {
      DataView dv = dPre.dataView();
      DataView sv = staticDiff.dataView();
      int rowWidth = streams * width;
      for (int k = 0; k < rowWidth; k++) {
        double sum = 0;
        for (int t = 0; t < steps; t++) {
          sum += dv.get(t * rowWidth + k);
        }
        sv.set(k, sum);
      }
      if (paramPropagateDown(2)) {
        gemm(staticDiff.data(), as2d(bottom.get(2), streams, staticDim), diff2d(blobs.get(2), width, staticDim),
            true, false, 1.0);
      }
      if (propagateDown[2]) {
        gemm(staticDiff.data(), as2d(blobs.get(2), width, staticDim), diff2d(bottom.get(2), streams, staticDim),
            false, false, 0.0);
      }
    }
  }

  // ---- small helpers ------------------------------------------------------------

  protected Blob buffer(int... shape) {
    return new Blob(bufferType, shape);
  }

  /** Row views {@code [rows*t, rows*(t+1))} of a 2-D array, one per time step. */
  protected INDArray[] stepViews(INDArray a2d, int rows) {
    INDArray[] v = new INDArray[steps];
    for (int t = 0; t < steps; t++) {
      v[t] = a2d.get(NDArrayIndex.interval((long) t * rows, (long) (t + 1) * rows), NDArrayIndex.all());
    }
    return v;
  }

  protected static INDArray as2d(Blob blob, int rows, int cols) {
    return blob.data().reshape('c', rows, cols);
  }

  protected static INDArray diff2d(Blob blob, int rows, int cols) {
    return blob.diff().reshape('c', rows, cols);
  }

  /** {@code dst[n, :] = cont[t, n] * src[n, :]} over {@code dim} columns. */
  private void scaleByCont(DataView cont, int t, DataView src, int srcOff, DataView dst,
      int dstOff, int dim) {
    for (int n = 0; n < streams; n++) {
      double c = cont.get(t * streams + n);
      int base = n * dim;
      for (int d = 0; d < dim; d++) {
        dst.set(dstOff + base + d, c * src.get(srcOff + base + d));
      }
    }
  }

  /** {@code c = a * b^T (+ beta c)}: gemm wrapper. */
  protected static void gemm(INDArray a, INDArray b, INDArray c, boolean ta, boolean tb, double beta) {
    Nd4j.gemm(a, b, c, ta, tb, 1.0, beta);
  }
}
