package org.kaffee.visual;

import java.nio.file.Path;
import java.util.List;
import org.kaffee.core.Blob;
import org.kaffee.core.DataView;
import org.kaffee.core.KaffeeException;
import org.kaffee.data.Image;
import org.kaffee.io.ProtoFiles;
import org.kaffee.proto.Caffe.BlobProto;

/**
 * How an image becomes the net's input, as Caffe's data layers do it: decode, resize to the
 * input's height and width, then (pixel - mean) * scale, the mean from a mean.binaryproto
 * (its per-channel averages when its size differs from the input's) or per-channel values.
 * The one place the pictures and the dashboard turn images into input.
 */
public record Preprocessing(Path meanFile, List<Float> meanValues, float scale) {
  public static Preprocessing none() {
    return new Preprocessing(null, List.of(), 1f);
  }

  /** Decodes {@code imageBytes} and writes it as image 0 of {@code input} (N x C x H x W). */
  public void fill(Blob input, byte[] imageBytes, String what) {
    KaffeeException.check(input.numAxes() == 4 && (input.channels() == 1 || input.channels() == 3),
        "%s: the net's input %s is not 1- or 3-channel images", what, input.shapeString());
    int c = input.channels();
    int h = input.height();
    int w = input.width();
    Image image = Image.decode(imageBytes, c == 3, what).resize(h, w);
    float[] mean = meanPerPixel(c, h, w, what);
    DataView view = input.dataView();
    for (int i = 0; i < c * h * w; i++) {
      view.set(i, ((image.pixels[i] & 0xff) - mean[i]) * scale);
    }
  }

  private float[] meanPerPixel(int c, int h, int w, String what) {
    float[] mean = new float[c * h * w];
    if (meanFile != null) {
      KaffeeException.check(meanValues.isEmpty(), "%s: give --mean_file or --mean_value, not both", what);
      BlobProto proto = ProtoFiles.readBinary(meanFile, BlobProto.newBuilder(),
          "mean file (binary BlobProto)").build();
      int[] shape = Blob.protoShape(proto);
      int mc = shape.length == 4 ? shape[1] : 1;
      KaffeeException.check(mc == c, "%s: mean file %s has %d channels, the net's input %d",
          what, meanFile, mc, c);
      int plane = proto.getDataCount() / c;
      for (int ch = 0; ch < c; ch++) {
        double sum = 0;
        for (int i = 0; i < plane; i++) {
          sum += proto.getData(ch * plane + i);
        }
        for (int i = 0; i < h * w; i++) {
          mean[ch * h * w + i] = plane == h * w ? proto.getData(ch * plane + i) : (float) (sum / plane);
        }
      }
    } else if (!meanValues.isEmpty()) {
      KaffeeException.check(meanValues.size() == 1 || meanValues.size() == c,
          "%s: --mean_value needs 1 or %d values, got %d", what, c, meanValues.size());
      for (int i = 0; i < mean.length; i++) {
        mean[i] = meanValues.get(meanValues.size() == 1 ? 0 : i / (h * w));
      }
    }
    return mean;
  }
}
