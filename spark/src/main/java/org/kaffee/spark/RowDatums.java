package org.kaffee.spark;

import com.google.protobuf.ByteString;
import java.io.Serializable;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;
import org.kaffee.core.KaffeeException;
import org.kaffee.proto.Caffe.Datum;

/**
 * A DataFrame row as the Datum Caffe's Data layer reads. The {@code data} column holds encoded
 * image bytes (a {@code binaryFile} source's {@code content}: an encoded Datum), a struct of
 * Spark's {@code image} source (height, width, nChannels, data in BGR row order: CHW bytes as
 * convert_imageset writes them), or an array of numbers (float_data in {@code shape} C x H x W,
 * by default 1 x 1 x length); {@code label} is a number.
 */
record RowDatums(int channels, int height, int width) implements Serializable {

  Datum toDatum(Row row, long index) {
    int dataColumn = column(row, "data", index);
    int labelColumn = column(row, "label", index);
    Datum.Builder d = Datum.newBuilder().setLabel(label(row, labelColumn, index));
    DataType type = row.schema().fields()[dataColumn].dataType();
    if (type instanceof BinaryType) {
      return d.setEncoded(true).setData(ByteString.copyFrom((byte[]) row.get(dataColumn))).build();
    }
    if (type instanceof StructType) {
      return image(row.getStruct(dataColumn), d, index);
    }
    if (type instanceof ArrayType) {
      List<Object> values = row.getList(dataColumn);
      int c = channels > 0 ? channels : 1;
      int h = height > 0 ? height : 1;
      int w = width > 0 ? width : values.size();
      KaffeeException.check((long) c * h * w == values.size(), "row %d: data has %d values, the shape"
          + " %dx%dx%d needs %d", index, values.size(), c, h, w, (long) c * h * w);
      d.setChannels(c).setHeight(h).setWidth(w);
      for (Object v : values) {
        KaffeeException.check(v instanceof Number, "row %d: data holds a %s, not a number", index,
            v == null ? "null" : v.getClass().getSimpleName());
        d.addFloatData(((Number) v).floatValue());
      }
      return d.build();
    }
    throw new KaffeeException("row " + index + ": the data column is " + type.simpleString()
        + "; expected binary (encoded images), Spark's image struct, or an array of numbers");
  }

  /** Spark's image struct holds HWC bytes (BGR for colour, as OpenCV); a Datum holds CHW. */
  private static Datum image(Row image, Datum.Builder d, long index) {
    int h = image.getInt(image.fieldIndex("height"));
    int w = image.getInt(image.fieldIndex("width"));
    int c = image.getInt(image.fieldIndex("nChannels"));
    byte[] hwc = (byte[]) image.get(image.fieldIndex("data"));
    KaffeeException.check(hwc != null && hwc.length == (long) h * w * c, "row %d: the image struct"
        + " declares %dx%dx%d but holds %d bytes", index, h, w, c, hwc == null ? 0 : hwc.length);
    byte[] chw = new byte[hwc.length];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        for (int k = 0; k < c; k++) {
          chw[(k * h + y) * w + x] = hwc[(y * w + x) * c + k];
        }
      }
    }
    return d.setChannels(c).setHeight(h).setWidth(w).setData(ByteString.copyFrom(chw)).build();
  }

  private static int column(Row row, String name, long index) {
    try {
      return row.fieldIndex(name);
    } catch (IllegalArgumentException e) {
      throw new KaffeeException("row " + index + ": the DataFrame has no '" + name + "' column (it has "
          + String.join(", ", row.schema().fieldNames()) + ")");
    }
  }

  private static int label(Row row, int column, long index) {
    Object v = row.get(column);
    KaffeeException.check(v instanceof Number, "row %d: label is %s, not a number", index,
        v == null ? "null" : v.getClass().getSimpleName());
    return ((Number) v).intValue();
  }
}
