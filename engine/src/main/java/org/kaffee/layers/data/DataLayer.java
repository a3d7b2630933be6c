package org.kaffee.layers.data;

import com.google.protobuf.InvalidProtocolBufferException;
import java.util.List;
import org.kaffee.core.Blob;
import org.kaffee.core.KaffeeException;
import org.kaffee.data.DataTransformer;
import org.kaffee.log.Glog;
import org.kaffee.proto.Caffe.DataParameter;
import org.kaffee.proto.Caffe.Datum;
import org.kaffee.proto.Caffe.LayerParameter;

/**
 * Caffe's Data layer: reads serialized Datums from an LMDB or LevelDB database
 * ({@code backend}, default LEVELDB as in caffe.proto) in key order, transforms them and
 * outputs batches of {@code batch_size}; starts over at the end of the database.
 *
 * <p>Resume state: the key of the next record, how many records of this pass precede it, and
 * the transformer's generator (crop offsets, mirrors).
 */
public final class DataLayer extends DatabaseDataLayer {
  private DataTransformer transformer;
  private int batchSize;
  private int channels;
  private int datumHeight;
  private int datumWidth;
  private int[] itemShape;

  public DataLayer(LayerParameter param) {
    super(param);
  }

  @Override
  public String type() {
    return "Data";
  }

  @Override
  protected int prefetchCount() {
    return (int) param.getDataParam().getPrefetch();
  }

  @Override
  protected void dataLayerSetUp(List<Blob> bottom, List<Blob> top) {
    DataParameter p = param.getDataParam();
    check(p.getBatchSize() > 0, "data_param.batch_size must be positive");
    batchSize = p.getBatchSize();
    open(p, "layer " + name() + " (Data)");
    transformer = new DataTransformer(param.getTransformParam(), phase, rng, "layer " + name());
    String what = records.what();
    DataTransformer.Decoded d = transformer.decode(parse(records.value(), what), what);
    channels = d.channels;
    datumHeight = d.height;
    datumWidth = d.width;
    itemShape = transformer.inferShape(d.channels, d.height, d.width, what);
    int[] shape = itemShape.clone();
    shape[0] = batchSize;
    top.get(0).reshape(shape);
    Glog.info("output data size: %d,%d,%d,%d", shape[0], shape[1], shape[2], shape[3]);
    if (outputLabels) {
      top.get(1).reshape(batchSize);
    }
  }

  static Datum parse(byte[] value, String what) {
    try {
      return Datum.parseFrom(value);
    } catch (InvalidProtocolBufferException e) {
      throw new KaffeeException(what + ": not a serialized Datum (" + e.getMessage() + ")", e);
    }
  }

  @Override
  protected void loadBatch(Batch batch) {
    int itemCount = itemShape[1] * itemShape[2] * itemShape[3];
    if (batch.data == null) {
      batch.data = new float[batchSize * itemCount];
      batch.label = new float[batchSize];
      batch.shape = new int[] {batchSize, itemShape[1], itemShape[2], itemShape[3]};
    }
    shard().skipBefore(batchSize, records::advance);
    for (int i = 0; i < batchSize; i++) {
      String what = null;
      Datum datum = parse(records.value(), what = records.what());
      DataTransformer.Decoded d = transformer.decode(datum, what);
      int crop = transformer.param().getCropSize();
      if (d.channels != channels || (crop == 0 && (d.height != datumHeight || d.width != datumWidth))) {
        throw new KaffeeException(what + ": Datum is " + d.channels + "x" + d.height + "x" + d.width
            + " but the first Datum is " + channels + "x" + datumHeight + "x" + datumWidth);
      }
      transformer.transform(d, batch.data, i * itemCount, what);
      batch.label[i] = datum.getLabel();
      records.advance();
    }
    shard().skipAfter(batchSize, records::advance);
  }
}
