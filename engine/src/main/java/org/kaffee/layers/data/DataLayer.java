package org.kaffee.layers.data;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.kaffee.core.Blob;
import org.kaffee.core.KaffeeException;
import org.kaffee.core.Rng;
import org.kaffee.core.SeededRandom;
import org.kaffee.data.DataTransformer;
import org.kaffee.data.Database;
import org.kaffee.io.WorkDir;
import org.kaffee.log.Glog;
import org.kaffee.proto.Caffe.DataParameter;
import org.kaffee.proto.Caffe.Datum;
import org.kaffee.proto.Caffe.LayerParameter;
import org.kaffee.proto.KaffeeState.LayerState;
import org.kaffee.proto.KaffeeState.RandomState;

/**
 * Caffe's Data layer: reads serialized Datums from an LMDB or LevelDB database
 * ({@code backend}, default LEVELDB as in caffe.proto) in key order, transforms them and
 * outputs batches of {@code batch_size}; starts over at the end of the database.
 *
 * <p>Resume state: the key of the next record, how many records of this pass precede it, and
 * the transformer's generator (crop offsets, mirrors).
 */
public final class DataLayer extends BasePrefetchingDataLayer {
  private Database db;
  private Database.Cursor cursor;
  /** Records of the current pass before the cursor. */
  private long read;
  private SeededRandom rng;
  private DataTransformer transformer;
  private String source;
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
    check(p.hasSource(), "data_param.source is required");
    check(p.getBatchSize() > 0, "data_param.batch_size must be positive");
    batchSize = p.getBatchSize();
    source = p.getSource();
    Path path = WorkDir.resolve(source);
    String backend = p.getBackend() == DataParameter.DB.LMDB ? "lmdb" : "leveldb";
    try {
      db = Database.openForReading(backend, path);
    } catch (KaffeeException e) {
      throw new KaffeeException("layer " + name() + " (Data): source " + e.getMessage()
          + (backend.equals("leveldb") && !p.hasBackend() ? " (backend defaults to LEVELDB; add backend: LMDB?)" : ""),
          e);
    }
    cursor = db.cursor();
    if (!cursor.valid()) {
      cursor.close();
      db.close();
      cursor = null;
      db = null;
      throw new KaffeeException("layer " + name() + " (Data): source " + path + ": the database is empty");
    }
    rng = Rng.fork();
    transformer = new DataTransformer(param.getTransformParam(), phase, rng, "layer " + name());
    String what = what(cursor.key());
    DataTransformer.Decoded d = transformer.decode(parse(cursor.value(), what), what);
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

  private String what(byte[] key) {
    return "layer " + name() + " (Data): source " + source + ", key '" + new String(key, StandardCharsets.ISO_8859_1)
        + "'";
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
    shard().skipBefore(batchSize, this::advance);
    for (int i = 0; i < batchSize; i++) {
      String what = null;
      Datum datum = parse(cursor.value(), what = what(cursor.key()));
      DataTransformer.Decoded d = transformer.decode(datum, what);
      int crop = transformer.param().getCropSize();
      if (d.channels != channels || (crop == 0 && (d.height != datumHeight || d.width != datumWidth))) {
        throw new KaffeeException(what + ": Datum is " + d.channels + "x" + d.height + "x" + d.width
            + " but the first Datum is " + channels + "x" + datumHeight + "x" + datumWidth);
      }
      transformer.transform(d, batch.data, i * itemCount, what);
      batch.label[i] = datum.getLabel();
      advance();
    }
    shard().skipAfter(batchSize, this::advance);
  }

  private void advance() {
    cursor.next();
    read++;
    if (!cursor.valid()) {
      Glog.info("Restarting data prefetching from start.");
      cursor.seekToFirst();
      read = 0;
    }
  }

  @Override
  protected Supplier<LayerState> readerState() {
    ByteString key = ByteString.copyFrom(cursor.key());
    long position = read;
    RandomState random = rng.state();
    return () -> LayerState.newBuilder().setKey(key)
        .addPosition(position).addRandom(random).build();
  }

  /** Walks to the saved record count and checks the key there: a changed database is named. */
  @Override
  protected void restoreReader(LayerState state) {
    check(state.getPositionCount() == 1 && state.getRandomCount() == 1 && state.hasKey(),
        "the resume state is not a Data layer's");
    cursor.seekToFirst();
    read = 0;
    while (read < state.getPosition(0) && cursor.valid()) {
      cursor.next();
      read++;
    }
    byte[] expected = state.getKey().toByteArray();
    check(cursor.valid() && Arrays.equals(cursor.key(), expected), "source %s: the snapshot continues at"
        + " record %d, key '%s', but the database %s (changed since the snapshot? --resume_data=restart"
        + " starts over)", source, state.getPosition(0), new String(expected, StandardCharsets.ISO_8859_1),
        cursor.valid() ? "has key '" + new String(cursor.key(), StandardCharsets.ISO_8859_1) + "' there"
            : "has only " + read + " records");
    rng.restore(state.getRandom(0));
  }

  @Override
  protected void closeSource() {
    if (cursor != null) {
      cursor.close();
      cursor = null;
    }
    if (db != null) {
      db.close();
      db = null;
    }
  }
}
