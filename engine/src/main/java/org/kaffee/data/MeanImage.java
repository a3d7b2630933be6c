package org.kaffee.data;

import java.nio.file.Path;
import org.kaffee.core.Blob;
import org.kaffee.core.DataView;
import org.kaffee.core.KaffeeException;
import org.kaffee.io.ProtoFiles;
import org.kaffee.proto.Caffe.BlobProto;

/** A mean image as a binaryproto holds it (compute_image_mean's output): CHW floats. */
public record MeanImage(int channels, int height, int width, float[] values) {
  /** Reads a binary BlobProto; the error names the file. */
  public static MeanImage read(Path file) {
    BlobProto proto = ProtoFiles.readBinary(file, BlobProto.newBuilder(), "mean file (binary BlobProto)").build();
    int[] shape = Blob.protoShape(proto);
    long count = 1;
    for (int d : shape) {
      count *= d;
      KaffeeException.check(d >= 0 && count <= Integer.MAX_VALUE,
          "mean file %s has an impossible shape %s", file, Blob.shapeString(shape));
    }
    int stored = Math.max(proto.getDataCount(), proto.getDoubleDataCount());
    // checked before allocating: a corrupt header must not ask for gigabytes
    KaffeeException.check(count == stored, "mean file %s: its shape %s needs %d values, it holds %d",
        file, Blob.shapeString(shape), count, stored);
    Blob blob = new Blob(shape);
    blob.fromProto(proto, true);
    DataView view = blob.dataView();
    float[] values = new float[blob.count()];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) view.get(i);
    }
    return new MeanImage(blob.channels(), blob.height(), blob.width(), values);
  }
}
