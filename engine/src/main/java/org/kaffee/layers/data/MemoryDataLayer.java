package org.kaffee.layers.data;

import java.util.List;
import org.kaffee.core.Blob;
import org.kaffee.core.BlobCounts;
import org.kaffee.core.KaffeeException;
import org.kaffee.core.Layer;
import org.kaffee.proto.Caffe.LayerParameter;
import org.kaffee.proto.Caffe.MemoryDataParameter;

/**
 * Caffe's MemoryData layer: batches of [batch_size, channels, height, width] taken in turn
 * from arrays given from Java with {@link #reset}; wraps around at the end.
 */
public final class MemoryDataLayer extends Layer {
  private int batchSize;
  private int size;
  private float[] data;
  private float[] labels;
  private int n;
  private int pos;

  public MemoryDataLayer(LayerParameter param) {
    super(param, BlobCounts.of(0, 2));
  }

  @Override
  public String type() {
    return "MemoryData";
  }

  @Override
  protected void layerSetUp(List<Blob> bottom, List<Blob> top) {
    MemoryDataParameter p = param.getMemoryDataParam();
    batchSize = p.getBatchSize();
    check(batchSize > 0 && p.getChannels() > 0 && p.getHeight() > 0 && p.getWidth() > 0,
        "batch_size, channels, height and width must be positive (got %d, %d, %d, %d)", batchSize,
        p.getChannels(), p.getHeight(), p.getWidth());
    size = p.getChannels() * p.getHeight() * p.getWidth();
    top.get(0).reshape(batchSize, p.getChannels(), p.getHeight(), p.getWidth());
    top.get(1).reshape(batchSize);
  }

  /** Gives the layer {@code n} examples: {@code data} holds n x channels x height x width values. */
  public void reset(float[] data, float[] labels, int n) {
    check(data != null && labels != null, "reset needs data and labels");
    check(n > 0 && n % batchSize == 0, "the number of examples (%d) must be a positive multiple of batch_size %d",
        n, batchSize);
    check(data.length >= (long) n * size, "data holds %d values, %d examples need %d", data.length, n,
        (long) n * size);
    check(labels.length >= n, "labels holds %d values, %d examples need %d", labels.length, n, n);
    this.data = data;
    this.labels = labels;
    this.n = n;
    this.pos = 0;
  }

  /** Changes the batch size (Caffe's set_batch_size). */
  public void setBatchSize(int newSize) {
    check(data == null, "set the batch size before reset");
    batchSize = newSize;
  }

  public int batchSize() {
    return batchSize;
  }

  @Override
  public void reshape(List<Blob> bottom, List<Blob> top) {
    MemoryDataParameter p = param.getMemoryDataParam();
    top.get(0).reshape(batchSize, p.getChannels(), p.getHeight(), p.getWidth());
    top.get(1).reshape(batchSize);
  }

  @Override
  public void forward(List<Blob> bottom, List<Blob> top) {
    if (data == null) {
      throw new KaffeeException("layer " + name() + " (MemoryData): no data; call reset(data, labels, n) first");
    }
    var v = top.get(0).dataView();
    int off = pos * size;
    for (int i = 0; i < batchSize * size; i++) {
      v.set(i, data[off + i]);
    }
    var l = top.get(1).dataView();
    for (int i = 0; i < batchSize; i++) {
      l.set(i, labels[pos + i]);
    }
    pos = (pos + batchSize) % n;
  }

  @Override
  public void backward(List<Blob> top, boolean[] propagateDown, List<Blob> bottom) {
  }
}
