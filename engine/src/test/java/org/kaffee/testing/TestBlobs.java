package org.kaffee.testing;

import java.util.Random;
import org.kaffee.core.Blob;
import org.kaffee.core.DataView;
import org.nd4j.linalg.api.buffer.DataType;

/** Small helpers for layer tests: double-precision blobs filled as Caffe's tests fill them. */
public final class TestBlobs {
  private TestBlobs() {
  }

  public static Blob gaussian(long seed, double std, int... shape) {
    Blob blob = new Blob(DataType.DOUBLE, shape);
    Random rng = new Random(seed);
    DataView v = blob.dataView();
    for (int i = 0; i < blob.count(); i++) {
      v.set(i, rng.nextGaussian() * std);
    }
    return blob;
  }

  public static Blob uniform(long seed, double min, double max, int... shape) {
    Blob blob = new Blob(DataType.DOUBLE, shape);
    Random rng = new Random(seed);
    DataView v = blob.dataView();
    for (int i = 0; i < blob.count(); i++) {
      v.set(i, min + (max - min) * rng.nextDouble());
    }
    return blob;
  }

  public static Blob of(double[] values, int... shape) {
    Blob blob = new Blob(DataType.DOUBLE, shape);
    DataView v = blob.dataView();
    for (int i = 0; i < values.length; i++) {
      v.set(i, values[i]);
    }
    return blob;
  }

  public static double[] data(Blob blob) {
    return blob.data().dup().data().asDouble();
  }

  public static double[] diff(Blob blob) {
    return blob.diff().dup().data().asDouble();
  }
}
