package org.kaffee.layers.vision;

import java.util.ArrayList;
import java.util.List;
import org.kaffee.core.Blob;
import org.kaffee.core.BlobCounts;
import org.kaffee.core.Layer;
import org.kaffee.proto.Caffe.LayerParameter;
import org.kaffee.proto.Caffe.PoolingParameter;
import org.kaffee.proto.Caffe.SPPParameter;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Caffe's spatial pyramid pooling: level {@code l} pools the image into about
 * {@code 2^l x 2^l} bins (kernel {@code ceil(H / 2^l)}, stride = kernel, pad
 * {@code (kernel 2^l - H + 1) / 2}); the levels are flattened and concatenated along axis 1.
 * With pyramid_height 1 the top is the single pooling output, unflattened, as in Caffe.
 */
public final class SPPLayer extends Layer {
  private int height = -1;
  private int width = -1;
  private final List<PoolingLayer> pools = new ArrayList<>();
  private final List<Blob> poolTops = new ArrayList<>();
  private Blob proxy;

  public SPPLayer(LayerParameter param) {
    super(param, BlobCounts.of(1, 1));
  }

  @Override
  public String type() {
    return "SPP";
  }

  private LayerParameter poolingParam(int level, int h, int w) {
    SPPParameter spp = param.getSppParam();
    int bins = 1 << level;
    int kh = (int) Math.ceil(h / (double) bins);
    int kw = (int) Math.ceil(w / (double) bins);
    int padH = (kh * bins - h + 1) / 2;
    int padW = (kw * bins - w + 1) / 2;
    PoolingParameter.Builder p = PoolingParameter.newBuilder()
        .setKernelH(kh).setKernelW(kw).setStrideH(kh).setStrideW(kw).setPadH(padH).setPadW(padW)
        .setPool(PoolingParameter.PoolMethod.forNumber(spp.getPool().getNumber()));
    return LayerParameter.newBuilder().setName(name() + "_pool" + level).setType("Pooling")
        .setPhase(phase).setPoolingParam(p).build();
  }

  @Override
  public void reshape(List<Blob> bottom, List<Blob> top) {
    Blob b = bottom.get(0);
    check(b.numAxes() == 4, "input must have 4 axes, corresponding to (num, channels, height, width); got %s",
        b.shapeString());
    int levels = param.getSppParam().getPyramidHeight();
    check(levels >= 1, "pyramid_height must be at least 1");
    if (b.height() != height || b.width() != width || pools.isEmpty()) {
      height = b.height();
      width = b.width();
      check(height > 0 && width > 0, "input must have positive height and width");
      pools.clear();
      poolTops.clear();
      proxy = new Blob(b.dataType(), b.shape());
      for (int l = 0; l < levels; l++) {
        PoolingLayer pool = new PoolingLayer(poolingParam(l, height, width));
        pool.setDataType(b.dataType());
        Blob t = new Blob(b.dataType(), 1);
        proxy.reshapeLike(b);
        proxy.shareData(b);
        pool.setUp(List.of(proxy), List.of(t));
        pools.add(pool);
        poolTops.add(t);
      }
    }
    proxy.reshapeLike(b);
    proxy.shareData(b);
    int total = 0;
    for (int l = 0; l < levels; l++) {
      pools.get(l).reshape(List.of(proxy), List.of(poolTops.get(l)));
      total += poolTops.get(l).count(1);
    }
    if (levels == 1) {
      top.get(0).reshapeLike(poolTops.get(0));
    } else {
      top.get(0).reshape(b.num(), total);
    }
  }

  @Override
  public void forward(List<Blob> bottom, List<Blob> top) {
    proxy.shareData(bottom.get(0));
    int num = bottom.get(0).num();
    int offset = 0;
    INDArray out = top.get(0).data().reshape('c', num, top.get(0).count(1));
    for (int l = 0; l < pools.size(); l++) {
      Blob t = poolTops.get(l);
      pools.get(l).forward(List.of(proxy), List.of(t));
      int len = t.count(1);
      out.get(NDArrayIndex.all(), NDArrayIndex.interval(offset, offset + len))
          .assign(t.data().reshape('c', num, len));
      offset += len;
    }
  }

  @Override
  public void backward(List<Blob> top, boolean[] propagateDown, List<Blob> bottom) {
    if (!propagateDown[0]) {
      return;
    }
    Blob b = bottom.get(0);
    proxy.shareData(b);
    int num = b.num();
    INDArray g = top.get(0).diff().reshape('c', num, top.get(0).count(1));
    int offset = 0;
    for (int l = 0; l < pools.size(); l++) {
      Blob t = poolTops.get(l);
      int len = t.count(1);
      t.diff().reshape('c', num, len).assign(g.get(NDArrayIndex.all(), NDArrayIndex.interval(offset, offset + len)));
      offset += len;
      pools.get(l).backward(List.of(t), new boolean[] {true}, List.of(proxy));
      if (l == 0) {
        b.diff().assign(proxy.diff());
      } else {
        b.diff().addi(proxy.diff());
      }
    }
  }
}
