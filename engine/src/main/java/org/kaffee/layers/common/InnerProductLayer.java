package org.kaffee.layers.common;

import java.util.List;
import org.kaffee.core.Blob;
import org.kaffee.core.BlobCounts;
import org.kaffee.core.Filler;
import org.kaffee.core.Layer;
import org.kaffee.kernels.InnerProductGemm;
import org.kaffee.proto.Caffe.InnerProductParameter;
import org.kaffee.proto.Caffe.LayerParameter;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Caffe's InnerProduct: {@code top[M, N] = bottom[M, K] * W^T + b}, with the bottom flattened
 * from {@code axis} ({@code K = count(axis)}, {@code M = count(0, axis)}). The weight is
 * {@code [N, K]}, or {@code [K, N]} with {@code transpose: true}. float32 products go straight
 * to oneDNN's gemm ({@link InnerProductGemm}); float64 ones (gradient checks) are ND4J gemm
 * calls on cached 2-D views.
 */
public final class InnerProductLayer extends Layer {
  private int numOutput;
  private int k;
  private int m;
  private boolean biasTerm;
  private boolean transpose;
  private int axis;
  private INDArray ones;
  private final InnerProductGemm gemm = new InnerProductGemm();
  private final View2d bottomData = new View2d();
  private final View2d bottomDiff = new View2d();
  private final View2d topData = new View2d();
  private final View2d topDiff = new View2d();
  private final View2d weightData = new View2d();
  private final View2d weightDiff = new View2d();
  private final View2d biasData = new View2d();
  private final View2d biasDiff = new View2d();

  public InnerProductLayer(LayerParameter param) {
    super(param, BlobCounts.of(1, 1));
  }

  @Override
  public String type() {
    return "InnerProduct";
  }

  @Override
  protected void layerSetUp(List<Blob> bottom, List<Blob> top) {
    InnerProductParameter p = param.getInnerProductParam();
    numOutput = p.getNumOutput();
    check(numOutput > 0, "num_output must be positive, got %d", numOutput);
    biasTerm = p.getBiasTerm();
    transpose = p.getTranspose();
    axis = bottom.get(0).canonicalAxisIndex(p.getAxis());
    k = bottom.get(0).count(axis);
    if (blobs.isEmpty()) {
      Blob weight = transpose ? newBlob(k, numOutput) : newBlob(numOutput, k);
      Filler.fill(p.getWeightFiller(), weight);
      blobs.add(weight);
      if (biasTerm) {
        Blob bias = newBlob(numOutput);
        Filler.fill(p.getBiasFiller(), bias);
        blobs.add(bias);
      }
    }
    for (int i = 0; i < blobs.size(); i++) {
      setParamPropagateDown(i, true);
    }
  }

  @Override
  public void reshape(List<Blob> bottom, List<Blob> top) {
    Blob b = bottom.get(0);
    axis = b.canonicalAxisIndex(param.getInnerProductParam().getAxis());
    check(b.count(axis) == k, "input size incompatible with inner product parameters: "
        + "bottom %s gives %d inputs from axis %d, weights expect %d", b.shapeString(),
        b.count(axis), axis, k);
    m = b.count(0, axis);
    int[] shape = new int[axis + 1];
    System.arraycopy(b.shape(), 0, shape, 0, axis);
    shape[axis] = numOutput;
    top.get(0).reshape(shape);
    if (biasTerm && (ones == null || ones.length() != m || ones.dataType() != b.dataType())) {
      ones = Nd4j.ones(b.dataType(), m, 1);
    }
  }

  private INDArray weight() {
    return transpose ? weightData.of(blobs.get(0).data(), k, numOutput)
        : weightData.of(blobs.get(0).data(), numOutput, k);
  }

  @Override
  public void forward(List<Blob> bottom, List<Blob> top) {
    if (m == 0) {
      return;
    }
    if (InnerProductGemm.supports(bottom.get(0).dataType())) {
      gemm.forward(bottom.get(0).data(), blobs.get(0).data(), biasTerm ? blobs.get(1).data() : null,
          top.get(0).data(), m, k, numOutput, transpose);
      return;
    }
    INDArray x = bottomData.of(bottom.get(0).data(), m, k);
    INDArray y = topData.of(top.get(0).data(), m, numOutput);
    Nd4j.gemm(x, weight(), y, false, !transpose, 1.0, 0.0);
    if (biasTerm) {
      INDArray bias = biasData.of(blobs.get(1).data(), 1, numOutput);
      Nd4j.gemm(ones, bias, y, false, false, 1.0, 1.0);
    }
  }

  @Override
  public void backward(List<Blob> top, boolean[] propagateDown, List<Blob> bottom) {
    if (m == 0) {
      return;
    }
    if (InnerProductGemm.supports(bottom.get(0).dataType())) {
      backwardFloat(top.get(0), propagateDown[0], bottom.get(0));
      return;
    }
    INDArray dy = topDiff.of(top.get(0).diff(), m, numOutput);
    if (paramPropagateDown(0)) {
      INDArray x = bottomData.of(bottom.get(0).data(), m, k);
      if (transpose) {
        INDArray dw = weightDiff.of(blobs.get(0).diff(), k, numOutput);
        Nd4j.gemm(x, dy, dw, true, false, 1.0, 1.0);
      } else {
        INDArray dw = weightDiff.of(blobs.get(0).diff(), numOutput, k);
        Nd4j.gemm(dy, x, dw, true, false, 1.0, 1.0);
      }
    }
    if (biasTerm && paramPropagateDown(1)) {
      INDArray db = biasDiff.of(blobs.get(1).diff(), 1, numOutput);
      Nd4j.gemm(ones, dy, db, true, false, 1.0, 1.0);
    }
    if (propagateDown[0]) {
      INDArray dx = bottomDiff.of(bottom.get(0).diff(), m, k);
      Nd4j.gemm(dy, weight(), dx, false, transpose, 1.0, 0.0);
    }
  }

  private void backwardFloat(Blob top, boolean propagateDown, Blob bottom) {
    if (paramPropagateDown(0)) {
      gemm.addWeightGradient(bottom.data(), top.diff(), blobs.get(0).diff(), m, k, numOutput, transpose);
    }
    if (biasTerm && paramPropagateDown(1)) {
      InnerProductGemm.addBiasGradient(top.diff(), blobs.get(1).diff(), m, numOutput);
    }
    if (propagateDown) {
      gemm.bottomGradient(top.diff(), blobs.get(0).data(), bottom.diff(), m, k, numOutput, transpose);
    }
  }

  /** A 2-D view of a blob array, rebuilt only when the blob's array or the shape changes. */
  static final class View2d {
    private INDArray source;
    private INDArray view;
    private long rows = -1;
    private long cols = -1;

    INDArray of(INDArray array, long r, long c) {
      if (array != source || r != rows || c != cols) {
        source = array;
        rows = r;
        cols = c;
        view = array.reshape('c', r, c);
      }
      return view;
    }
  }
}
