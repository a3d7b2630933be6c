package org.kaffee.serve;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.kaffee.core.KaffeeException;
import org.kaffee.data.DataTransformer;
import org.kaffee.data.Database;
import org.kaffee.data.Image;
import org.kaffee.proto.Caffe.Datum;
import org.kaffee.proto.Caffe.Phase;
import org.kaffee.proto.Caffe.TransformationParameter;
import org.kaffee.visual.TileGrid;

/** One pass over a Datum database: its record count, label histogram and first images. */
record DatasetSummary(int records, TreeMap<Integer, Integer> labels, int channels, int height,
    int width, Image samples) {
  static final int SAMPLES = 64;

  static DatasetSummary read(Path dir, String backend) {
    DataTransformer decoder = new DataTransformer(TransformationParameter.getDefaultInstance(),
        Phase.TEST, new Random(0), dir.toString());
    TreeMap<Integer, Integer> labels = new TreeMap<>();
    List<float[]> tiles = new ArrayList<>();
    int records = 0;
    int[] shape = null;
    try (Database db = Database.openForReading(backend, dir); Database.Cursor cursor = db.cursor()) {
      for (; cursor.valid(); cursor.next(), records++) {
        Datum datum;
        try {
          datum = Datum.parseFrom(cursor.value());
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
          throw new KaffeeException(dir + ": record " + records + " is not a Datum");
        }
        labels.merge(datum.getLabel(), 1, Integer::sum);
        if (tiles.size() < SAMPLES) {
          DataTransformer.Decoded d = decoder.decode(datum, dir + ", record " + records);
          if (shape == null) {
            shape = new int[] {d.channels, d.height, d.width};
          }
          if (d.channels == shape[0] && d.height == shape[1] && d.width == shape[2]) {
            tiles.add(floats(d));
          }
        }
      }
    }
    KaffeeException.check(shape != null, "%s: the database is empty", dir);
    int planes = shape[0] == 3 ? 3 : 1;
    int drawnLength = planes * shape[1] * shape[2];
    List<float[]> drawn = tiles.stream().map(t -> java.util.Arrays.copyOf(t, drawnLength)).toList();
    Image grid = new TileGrid(drawn.size(), 0, planes, shape[1], shape[2]).render(drawn, false);
    return new DatasetSummary(records, labels, shape[0], shape[1], shape[2], grid);
  }

  private static float[] floats(DataTransformer.Decoded d) {
    if (d.floats != null) {
      return d.floats;
    }
    float[] out = new float[d.bytes.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = d.bytes[i] & 0xff;
    }
    return out;
  }
}
