package org.kaffee.spark;

import java.nio.file.Path;
import java.util.Iterator;
import org.apache.spark.sql.Row;
import org.kaffee.data.Database;
import org.kaffee.proto.Caffe.DataParameter;
import org.kaffee.proto.Caffe.NetParameter;
import org.kaffee.proto.Caffe.SolverParameter;
import scala.Tuple2;

/**
 * A DataFrame partition as a task's training data: its rows (in global row order) are written
 * to an LMDB on the executor's local disk, which the train net's Data layer then reads
 * (CaffeOnSpark fed Caffe the same way), with the layer's transform_param unchanged.
 */
record FrameRows(int dataLayer, RowDatums datums) implements TaskData<Tuple2<Long, Row>> {
  @Override
  public SolverParameter prepare(SolverParameter solver, Iterator<Tuple2<Long, Row>> rows, Path scratch) {
    Path db = scratch.resolve("rows_lmdb");
    try (Database out = Database.open("lmdb", db, Database.Mode.NEW)) {
      while (rows.hasNext()) {
        Tuple2<Long, Row> row = rows.next();
        out.put(String.format("%012d", row._1()).getBytes(), datums.toDatum(row._2(), row._1()).toByteArray());
      }
      out.commit();
    }
    return TrainNets.editTrainNet(solver, net -> {
      NetParameter.Builder b = net.toBuilder();
      b.getLayerBuilder(dataLayer).getDataParamBuilder().setSource(db.toString()).setBackend(DataParameter.DB.LMDB);
      return b.build();
    });
  }

  @Override
  public boolean ownRows() {
    return true;
  }
}
