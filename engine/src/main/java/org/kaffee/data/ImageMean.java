package org.kaffee.data;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.kaffee.core.KaffeeException;
import org.kaffee.log.CppFloat;
import org.kaffee.log.Glog;
import org.kaffee.proto.Caffe.BlobProto;
import org.kaffee.proto.Caffe.Datum;

/**
 * Caffe's compute_image_mean: the per-pixel mean of every Datum of a database as a legacy
 * (num=1, channels, height, width) BlobProto, streaming the database once ({@link MeanSums}
 * holds the sums: integers, exact, as Caffe's float sums are below 2^24 for its use).
 */
public final class ImageMean {
  private ImageMean() {
  }

  /** Computes the mean of a whole database in one pass. */
  public static BlobProto compute(Path dbPath, String backend) {
    return MeanSums.ofDatabase(dbPath, backend, 0, 1).mean(dbPath.toString());
  }

  /** Logs "Number of channels" and "mean_value channel [c]" as Caffe does (float sums). */
  public static float[] logChannelMeans(BlobProto mean) {
    int channels = mean.getChannels();
    int dim = mean.getHeight() * mean.getWidth();
    Glog.info("Number of channels: %d", channels);
    float[] values = new float[channels];
    for (int c = 0; c < channels; c++) {
      float acc = 0;
      for (int i = 0; i < dim; i++) {
        acc += mean.getData(dim * c + i);
      }
      values[c] = acc / dim;
      Glog.info("mean_value channel [%d]: %s", c, CppFloat.format(values[c]));
    }
    return values;
  }

  /**
   * Reads a serialized Datum without building a message: finds the raw data bytes in place.
   * Falls back to protobuf (and image decoding) for encoded or float Datums.
   */
  static final class DatumReader {
    int channels;
    int height;
    int width;
    byte[] data;
    int dataOffset;
    int dataLength;
    float[] floats;
    private int pos;
    private byte[] buf;

    /** True when the Datum was a plain uint8 one read in place. */
    boolean scan(byte[] v) {
      buf = v;
      pos = 0;
      channels = 0;
      height = 0;
      width = 0;
      dataLength = 0;
      floats = null;
      data = v;
      while (pos < v.length) {
        int tag = varint();
        if (tag < 0) {
          return false;
        }
        int field = tag >>> 3;
        int wire = tag & 7;
        if (wire == 0) {
          long x = varint();
          if (field == 1) {
            channels = (int) x;
          } else if (field == 2) {
            height = (int) x;
          } else if (field == 3) {
            width = (int) x;
          } else if (field == 7 && x != 0) {
            return false;
          }
        } else if (wire == 2) {
          int len = varint();
          if (field != 4 || len < 0 || pos + len > v.length) {
            return false;
          }
          dataOffset = pos;
          dataLength = len;
          pos += len;
        } else {
          return false;
        }
      }
      return dataLength > 0 && (long) channels * height * width == dataLength;
    }

    private int varint() {
      int result = 0;
      for (int shift = 0; shift < 35 && pos < buf.length; shift += 7) {
        byte b = buf[pos++];
        result |= (b & 0x7f) << shift;
        if (b >= 0) {
          return result;
        }
      }
      return -1;
    }

    void decodeSlow(byte[] v, String what) {
      Datum datum;
      try {
        datum = Datum.parseFrom(v);
      } catch (com.google.protobuf.InvalidProtocolBufferException e) {
        throw new KaffeeException(what + ": not a serialized Datum (" + e.getMessage() + ")", e);
      }
      DataTransformer t = new DataTransformer(org.kaffee.proto.Caffe.TransformationParameter.getDefaultInstance(),
          org.kaffee.proto.Caffe.Phase.TEST, new java.util.Random(0), what);
      DataTransformer.Decoded d = t.decode(datum, what);
      channels = d.channels;
      height = d.height;
      width = d.width;
      if (d.bytes != null) {
        data = d.bytes;
        dataOffset = 0;
        dataLength = d.bytes.length;
        floats = null;
      } else {
        dataLength = 0;
        floats = d.floats;
      }
    }
  }
}
