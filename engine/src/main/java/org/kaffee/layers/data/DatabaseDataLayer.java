package org.kaffee.layers.data;

import java.util.function.Supplier;
import org.kaffee.core.Rng;
import org.kaffee.core.SeededRandom;
import org.kaffee.proto.Caffe.DataParameter;
import org.kaffee.proto.Caffe.LayerParameter;
import org.kaffee.proto.KaffeeState.LayerState;

/**
 * A prefetching layer over the records of {@code data_param.source} (Data, AnnotatedData). Its
 * resume state is the database position and the generator its transforms draw from.
 */
abstract class DatabaseDataLayer extends BasePrefetchingDataLayer {
  /** The records in key order, from the next one to read. */
  protected RecordCursor records;
  /** The transforms' generator (crops, mirrors, distortions, sampled boxes). */
  protected SeededRandom rng;

  protected DatabaseDataLayer(LayerParameter param) {
    super(param);
  }

  /** Opens the source and forks the transforms' generator; {@code owner} starts every message. */
  protected final void open(DataParameter p, String owner) {
    records = RecordCursor.open(p, owner);
    rng = Rng.fork();
  }

  @Override
  protected Supplier<LayerState> readerState() {
    LayerState state = records.position(LayerState.newBuilder()).addRandom(rng.state()).build();
    return () -> state;
  }

  @Override
  protected void restoreReader(LayerState state) {
    check(state.getRandomCount() == 1, "the resume state is not a %s layer's", type());
    records.restore(state);
    rng.restore(state.getRandom(0));
  }

  @Override
  protected void closeSource() {
    if (records != null) {
      records.close();
      records = null;
    }
  }
}
