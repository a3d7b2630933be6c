package org.kaffee.layers.common;

import java.util.List;
import org.kaffee.core.Blob;
import org.kaffee.core.BlobCounts;
import org.kaffee.core.DataView;
import org.kaffee.core.Layer;
import org.kaffee.proto.Caffe.ArgMaxParameter;
import org.kaffee.proto.Caffe.LayerParameter;

/**
 * Caffe's ArgMax: the indices of the {@code top_k} largest values (ties: the larger index
 * first, as Caffe's sort of (value, index) pairs). Without {@code axis} over each item's
 * flattened values, top {@code [N, 1 or 2, top_k, 1...]} (with {@code out_max_val} the
 * indices then the values); with {@code axis} along that axis, holding the values when
 * {@code out_max_val}. No backward.
 */
public final class ArgMaxLayer extends Layer {
  private boolean outMaxVal;
  private int topK;
  private boolean hasAxis;
  private int axis;
  private double[] values = new double[0];
  private int[] order = new int[0];

  public ArgMaxLayer(LayerParameter param) {
    super(param, BlobCounts.of(1, 1));
  }

  @Override
  public String type() {
    return "ArgMax";
  }

  @Override
  protected void layerSetUp(List<Blob> bottom, List<Blob> top) {
    ArgMaxParameter p = param.getArgmaxParam();
    outMaxVal = p.getOutMaxVal();
    topK = p.getTopK();
    hasAxis = p.hasAxis();
    check(topK >= 1, "top_k must not be less than 1");
    Blob b = bottom.get(0);
    if (hasAxis) {
      axis = b.canonicalAxisIndex(p.getAxis());
      check(topK <= b.shape(axis), "top_k (%d) must be less than or equal to the dimension of "
          + "the axis (%d)", topK, b.shape(axis));
    } else {
      check(topK <= b.count(1), "top_k (%d) must be less than or equal to the dimension of the "
          + "flattened bottom blob per instance (%d)", topK, b.count(1));
    }
  }

  @Override
  public void reshape(List<Blob> bottom, List<Blob> top) {
    Blob b = bottom.get(0);
    int[] shape;
    if (hasAxis) {
      shape = b.shape();
      shape[axis] = topK;
    } else {
      shape = new int[Math.max(3, b.numAxes())];
      java.util.Arrays.fill(shape, 1);
      shape[0] = b.shape(0);
      shape[2] = topK;
      if (outMaxVal) {
        shape[1] = 2;
      }
    }
    top.get(0).reshape(shape);
    int dim = hasAxis ? b.shape(axis) : b.count(1);
    if (values.length < dim) {
      values = new double[dim];
      order = new int[dim];
    }
  }

  @Override
  public void forward(List<Blob> bottom, List<Blob> top) {
    Blob b = bottom.get(0);
    int dim = hasAxis ? b.shape(axis) : b.count(1);
    int axisDist = hasAxis ? b.count(axis) / dim : 1;
    int num = dim == 0 ? 0 : b.count() / dim;
    DataView x = b.dataView();
    DataView y = top.get(0).dataView();
    for (int i = 0; i < num; i++) {
      for (int j = 0; j < dim; j++) {
        values[j] = x.get((i / axisDist * dim + j) * axisDist + i % axisDist);
        order[j] = j;
      }
      // Partial selection sort: top_k is small.
      for (int j = 0; j < topK; j++) {
        int best = j;
        for (int q = j + 1; q < dim; q++) {
          if (greater(order[q], order[best])) {
            best = q;
          }
        }
        int t = order[j];
        order[j] = order[best];
        order[best] = t;
      }
      for (int j = 0; j < topK; j++) {
        int idx = order[j];
        if (outMaxVal) {
          if (hasAxis) {
            y.set((i / axisDist * topK + j) * axisDist + i % axisDist, values[idx]);
          } else {
            y.set(2 * i * topK + j, idx);
            y.set(2 * i * topK + topK + j, values[idx]);
          }
        } else {
          y.set((i / axisDist * topK + j) * axisDist + i % axisDist, idx);
        }
      }
    }
  }

  /** std::greater on (value, index) pairs. */
  private boolean greater(int a, int b) {
    return values[a] > values[b] || (values[a] == values[b] && a > b);
  }

  @Override
  public void backward(List<Blob> top, boolean[] propagateDown, List<Blob> bottom) {
    for (boolean p : propagateDown) {
      check(!p, "ArgMax cannot backpropagate");
    }
  }
}
