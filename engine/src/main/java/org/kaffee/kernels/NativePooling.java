package org.kaffee.kernels;

import org.kaffee.core.Blob;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * ND4J's maxpool2d / avgpool2d (and their backward ops) over output rows {@code [0, rows)} and
 * columns {@code [0, cols)}: the windows floor rounding gives. When ceil rounding adds a row or a
 * column, the op writes to scratch arrays that are copied into the top's corner.
 */
final class NativePooling {
  final int rows;
  final int cols;
  private final String opName;
  private final int[] opArgs;
  /** Op output and top gradient when the op does not cover the whole top; else null. */
  private final INDArray corner;
  private final INDArray cornerDiff;

  NativePooling(PoolingShape s, boolean max, DataType type) {
    rows = Math.max(PoolingShape.outSize(s.height(), s.padH(), s.kernelH(), s.strideH(), false), 0);
    cols = Math.max(PoolingShape.outSize(s.width(), s.padW(), s.kernelW(), s.strideW(), false), 0);
    opName = max ? "maxpool2d" : "avgpool2d";
    // kernel, stride, pad, dilation, SAME mode off, AVE divisor includes padding, NCHW
    opArgs = new int[] {s.kernelH(), s.kernelW(), s.strideH(), s.strideW(), s.padH(), s.padW(), 1, 1, 0, 1, 0};
    if (coversTop(s) || isEmpty()) {
      corner = cornerDiff = null;
    } else {
      corner = Nd4j.create(type, s.num(), s.channels(), rows, cols);
      cornerDiff = Nd4j.create(type, s.num(), s.channels(), rows, cols);
    }
  }

  boolean isEmpty() {
    return rows == 0 || cols == 0;
  }

  boolean coversTop(PoolingShape s) {
    return rows == s.pooledH() && cols == s.pooledW();
  }

  /** The first output column the op did not compute in output row {@code y}. */
  int firstLeftColumn(int y) {
    return y < rows ? cols : 0;
  }

  private INDArray cornerOf(INDArray a) {
    INDArrayIndex all = NDArrayIndex.all();
    return a.get(all, all, NDArrayIndex.interval(0, rows), NDArrayIndex.interval(0, cols));
  }

  void forward(Blob bottom, Blob top) {
    run(opName, new INDArray[] {bottom.data()}, corner == null ? top.data() : corner);
    if (corner != null) {
      cornerOf(top.data()).assign(corner);
    }
  }

  /** Overwrites the bottom diff with the gradient of the op's windows. */
  void backward(Blob top, Blob bottom) {
    INDArray topDiff = top.diff();
    if (cornerDiff != null) {
      cornerDiff.assign(cornerOf(topDiff));
      topDiff = cornerDiff;
    }
    run(opName + "_bp", new INDArray[] {bottom.data(), topDiff}, bottom.diff());
  }

  private void run(String name, INDArray[] in, INDArray out) {
    Nd4j.exec(DynamicCustomOp.builder(name).addInputs(in).addOutputs(out).addIntegerArguments(opArgs).build());
  }
}
