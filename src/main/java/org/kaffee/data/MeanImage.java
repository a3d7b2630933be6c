package org.kaffee.data;

import java.nio.file.Path;
import org.kaffee.core.Blob;
import org.kaffee.core.DataView;
import org.kaffee.io.ProtoFiles;
import org.kaffee.proto.Caffe.BlobProto;

/** A mean image as a binaryproto holds it (compute_image_mean's output): CHW floats. */
public record MeanImage(int channels, int height, int width, float[] values) {
  /** Reads a binary BlobProto; the error names the file. */
  public static MeanImage read(Path file) {
    BlobProto proto = ProtoFiles.readBinary(file, BlobProto.newBuilder(), "mean file (binary BlobProto)").build();
    Blob blob = new Blob(Blob.protoShape(proto));
    blob.fromProto(proto, true);
    DataView view = blob.dataView();
    float[] values = new float[blob.count()];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) view.get(i);
    }
    return new MeanImage(blob.channels(), blob.height(), blob.width(), values);
  }
}
