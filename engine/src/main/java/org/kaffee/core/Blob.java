package org.kaffee.core;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.IntBuffer;
import java.util.Arrays;
import java.util.List;
import org.kaffee.proto.Caffe.BlobProto;
import org.kaffee.proto.Caffe.BlobShape;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Caffe's Blob: an N-d array of values ({@link #data()}) and of the loss gradient with
 * respect to them ({@link #diff()}), both ND4J arrays in C order. Reshaping reuses the
 * memory while the element count does not grow, so a layer can reshape every batch
 * without allocating. A blob with zero axes (a loss) holds one value.
 */
public final class Blob {
  public static final int MAX_AXES = 32;

  private final DataType dataType;
  private int[] shape = new int[0];
  /** shapeString() of the current shape, made on first use: error checks on every pass ask for it. */
  private String shapeText;
  private long capacity;
  private INDArray dataStore;
  private INDArray diffStore;
  private INDArray data;
  private INDArray diff;
  /** Counts the changes of data()/diff() since first asked for ({@link #layoutStamp()}). */
  private IntBuffer layoutStamp;

  public Blob(DataType dataType, int... shape) {
    this.dataType = dataType;
    reshape(shape);
  }

  public Blob(int... shape) {
    this(DataType.FLOAT, shape);
  }

  public DataType dataType() {
    return dataType;
  }

  // ---- shape ----------------------------------------------------------------

  public void reshape(int... newShape) {
    if (data != null && Arrays.equals(shape, newShape)) {
      return;
    }
    KaffeeException.check(newShape.length <= MAX_AXES,
        "blob shape %s has more than %d axes", Arrays.toString(newShape), MAX_AXES);
    long count = 1;
    for (int d : newShape) {
      KaffeeException.check(d >= 0, "blob shape %s has a negative dimension",
          Arrays.toString(newShape));
      count *= d;
    }
    KaffeeException.check(count <= Integer.MAX_VALUE,
        "blob shape %s has more than 2^31 elements", Arrays.toString(newShape));
    shape = newShape.clone();
    shapeText = null;
    if (dataStore == null || count > capacity) {
      capacity = Math.max(count, 1);
      dataStore = Nd4j.zeros(dataType, capacity);
      diffStore = Nd4j.zeros(dataType, capacity);
    }
    data = view(dataStore);
    diff = view(diffStore);
    relaid();
  }

  public void reshape(List<Integer> newShape) {
    reshape(newShape.stream().mapToInt(Integer::intValue).toArray());
  }

  public void reshapeLike(Blob other) {
    reshape(other.shape);
  }

  public void reshape(BlobShape blobShape) {
    int[] s = new int[blobShape.getDimCount()];
    for (int i = 0; i < s.length; i++) {
      s[i] = Math.toIntExact(blobShape.getDim(i));
    }
    reshape(s);
  }

  private INDArray view(INDArray store) {
    int count = count();
    INDArray flat = Math.max(count, 1) == store.length() ? store
        : store.get(NDArrayIndex.interval(0, Math.max(count, 1)));
    long[] viewShape = shape.length == 0 ? new long[] {1} : Arrays.stream(shape).asLongStream().toArray();
    return count == 0 ? flat : flat.reshape('c', viewShape);
  }

  public int[] shape() {
    return shape.clone();
  }

  public int shape(int axis) {
    return shape[canonicalAxisIndex(axis)];
  }

  public int numAxes() {
    return shape.length;
  }

  public int count() {
    return count(0, shape.length);
  }

  /** Product of the dimensions in [start, end). */
  public int count(int start, int end) {
    int c = 1;
    for (int i = start; i < end; i++) {
      c *= shape[i];
    }
    return c;
  }

  public int count(int start) {
    return count(start, shape.length);
  }

  /** Maps a possibly negative axis (-1 = last) to [0, numAxes), as Caffe does. */
  public int canonicalAxisIndex(int axis) {
    KaffeeException.check(axis >= -numAxes() && axis < numAxes(),
        "axis %d out of range for a %d-axis blob of shape %s", axis, numAxes(), shapeString());
    return axis < 0 ? axis + numAxes() : axis;
  }

  /** Legacy accessors: the dimension at a 4-D position, 1 where the blob has fewer axes. */
  public int num() {
    return legacyShape(0);
  }

  public int channels() {
    return legacyShape(1);
  }

  public int height() {
    return legacyShape(2);
  }

  public int width() {
    return legacyShape(3);
  }

  public int legacyShape(int index) {
    KaffeeException.check(numAxes() <= 4, "legacy accessors need a blob of at most 4 axes, got %s",
        shapeString());
    if (index >= numAxes() || index < -numAxes()) {
      return 1;
    }
    return shape(index);
  }

  /** Flat index of (n, c, h, w), as Caffe's offset(). */
  public int offset(int n, int c, int h, int w) {
    return ((n * channels() + c) * height() + h) * width() + w;
  }

  public String shapeString() {
    if (shapeText == null) {
      StringBuilder sb = new StringBuilder();
      for (int d : shape) {
        sb.append(d).append(' ');
      }
      shapeText = sb.append('(').append(count()).append(')').toString();
    }
    return shapeText;
  }

  // ---- values ---------------------------------------------------------------

  /** The values, shaped like the blob (a 1-element vector for a 0-axis blob). */
  public INDArray data() {
    return data;
  }

  public INDArray diff() {
    return diff;
  }

  /** Element access to the values for loop-based kernels. */
  public DataView dataView() {
    return DataView.of(dataStore, count());
  }

  public DataView diffView() {
    return DataView.of(diffStore, count());
  }

  /**
   * Frees this blob's native memory now instead of at garbage collection; the blob holds
   * nothing afterwards. {@code freed} collects the stores already freed, as blobs may share one.
   */
  public void release(java.util.Set<INDArray> freed) {
    for (INDArray store : new INDArray[] {dataStore, diffStore}) {
      if (store != null && freed.add(store) && store.closeable()) {
        store.close();
      }
    }
    dataStore = null;
    diffStore = null;
    data = null;
    diff = null;
    capacity = 0;
    shape = new int[0];
    shapeText = null;
    relaid();
  }

  /**
   * A number that changes whenever {@link #data()} or {@link #diff()} become other memory or
   * another shape (reshape, sharing, release), in native memory: pycaffe keeps its numpy views
   * of the blob while it holds, and reads it without a call into the JVM.
   */
  public IntBuffer layoutStamp() {
    if (layoutStamp == null) {
      layoutStamp = ByteBuffer.allocateDirect(Integer.BYTES).order(ByteOrder.nativeOrder()).asIntBuffer();
    }
    return layoutStamp;
  }

  private void relaid() {
    if (layoutStamp != null) {
      layoutStamp.put(0, layoutStamp.get(0) + 1);
    }
  }

  /** Makes this blob use another's values (Caffe's ShareData); shapes must hold the same count. */
  public void shareData(Blob other) {
    KaffeeException.check(count() == other.count(), "cannot share data of %s with %s",
        other.shapeString(), shapeString());
    if (dataStore == other.dataStore) {
      return;  // already shared, and reshape keeps the view at the current shape: Split shares on every pass
    }
    dataStore = other.dataStore;
    capacity = Math.min(capacity, other.capacity);
    data = view(dataStore);
    relaid();
  }

  public void shareDiff(Blob other) {
    KaffeeException.check(count() == other.count(), "cannot share diff of %s with %s",
        other.shapeString(), shapeString());
    if (diffStore == other.diffStore) {
      return;
    }
    diffStore = other.diffStore;
    capacity = Math.min(capacity, other.capacity);
    diff = view(diffStore);
    relaid();
  }

  /** True when both blobs read the same value memory. */
  public boolean sharesDataWith(Blob other) {
    return dataStore == other.dataStore;
  }

  public double asumData() {
    return data.norm1Number().doubleValue();
  }

  public double asumDiff() {
    return diff.norm1Number().doubleValue();
  }

  public void copyFrom(Blob source, boolean copyDiff, boolean reshape) {
    if (reshape) {
      reshapeLike(source);
    }
    KaffeeException.check(count() == source.count(), "cannot copy %s into %s",
        source.shapeString(), shapeString());
    if (copyDiff) {
      diff.assign(source.diff);
    } else {
      data.assign(source.data);
    }
  }

  // ---- protobuf -------------------------------------------------------------

  /** True when the stored shape (current or legacy 4-D) equals this blob's, as Caffe's ShapeEquals. */
  public boolean shapeEquals(BlobProto proto) {
    if (proto.hasNum() || proto.hasChannels() || proto.hasHeight() || proto.hasWidth()) {
      return numAxes() <= 4
          && legacyShape(-4) == proto.getNum()
          && legacyShape(-3) == proto.getChannels()
          && legacyShape(-2) == proto.getHeight()
          && legacyShape(-1) == proto.getWidth();
    }
    int[] other = protoShape(proto);
    return Arrays.equals(shape, other);
  }

  /** The shape a BlobProto describes: its BlobShape, or its legacy num/channels/height/width. */
  public static int[] protoShape(BlobProto proto) {
    if (proto.hasNum() || proto.hasChannels() || proto.hasHeight() || proto.hasWidth()) {
      return new int[] {proto.getNum(), proto.getChannels(), proto.getHeight(), proto.getWidth()};
    }
    int[] s = new int[proto.getShape().getDimCount()];
    for (int i = 0; i < s.length; i++) {
      long dim = proto.getShape().getDim(i);
      KaffeeException.check(dim >= 0 && dim <= Integer.MAX_VALUE,
          "stored blob has an impossible shape (axis %d is %d)", i, dim);
      s[i] = (int) dim;
    }
    return s;
  }

  public static String shapeString(int[] shape) {
    StringBuilder sb = new StringBuilder();
    for (int d : shape) {
      sb.append(d).append(' ');
    }
    long count = 1;
    for (int d : shape) {
      count *= d;
    }
    return sb.append('(').append(count).append(')').toString();
  }

  /** Loads values (and diff when present); reshapes when asked, else the shapes must match. */
  public void fromProto(BlobProto proto, boolean reshape) {
    if (reshape) {
      reshape(protoShape(proto));
    } else {
      KaffeeException.check(shapeEquals(proto), "shape mismatch: stored %s, expected %s",
          shapeString(protoShape(proto)), shapeString());
    }
    int n = count();
    copyInto(proto.getDoubleDataCount() > 0 ? doubles(proto.getDoubleDataList())
        : floats(proto.getDataList()), n, dataView(), "data");
    if (proto.getDoubleDiffCount() > 0 || proto.getDiffCount() > 0) {
      copyInto(proto.getDoubleDiffCount() > 0 ? doubles(proto.getDoubleDiffList())
          : floats(proto.getDiffList()), n, diffView(), "diff");
    }
  }

  private static void copyInto(double[] values, int n, DataView view, String what) {
    KaffeeException.check(values.length == n, "stored blob has %d %s values, expected %d",
        values.length, what, n);
    for (int i = 0; i < n; i++) {
      view.set(i, values[i]);
    }
  }

  private static double[] floats(List<Float> list) {
    double[] out = new double[list.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = list.get(i);
    }
    return out;
  }

  private static double[] doubles(List<Double> list) {
    return list.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /** Writes the shape and float data (and diff when asked), as Caffe's ToProto. */
  public BlobProto toProto(boolean writeDiff) {
    BlobProto.Builder b = BlobProto.newBuilder();
    BlobShape.Builder s = BlobShape.newBuilder();
    for (int d : shape) {
      s.addDim(d);
    }
    b.setShape(s);
    int n = count();
    float[] values = dataStore.data().asFloat();
    for (int i = 0; i < n; i++) {
      b.addData(values[i]);
    }
    if (writeDiff) {
      float[] grads = diffStore.data().asFloat();
      for (int i = 0; i < n; i++) {
        b.addDiff(grads[i]);
      }
    }
    return b.build();
  }

  @Override
  public String toString() {
    return "Blob(" + shapeString() + ")";
  }
}
