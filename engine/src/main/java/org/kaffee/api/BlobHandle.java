package org.kaffee.api;

import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import org.kaffee.core.Blob;
import org.kaffee.core.DataView;
import org.kaffee.core.KaffeeException;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A blob for callers outside the engine (pycaffe through JPype): its shape and its values and
 * gradients as direct float buffers over the blob's own memory, so a numpy view of them reads
 * and writes the net without copies. No ND4J type appears in its methods: JPype reflects every
 * method of a class it touches, and ND4J's arrays cannot be reflected without its optional
 * flatbuffers jar.
 */
public final class BlobHandle {
  private final Blob blob;

  BlobHandle(Blob blob) {
    this.blob = blob;
  }

  public int[] shape() {
    return blob.shape();
  }

  public int count() {
    return blob.count();
  }

  /** Caffe's Blob::Reshape: memory is reused while the count does not grow. */
  public void reshape(int... shape) {
    blob.reshape(shape);
  }

  /** The values: a direct buffer of {@link #count()} floats, valid while the shape holds. */
  public FloatBuffer data() {
    return floats(blob.dataView());
  }

  /** The gradients, like {@link #data()}. */
  public FloatBuffer diff() {
    return floats(blob.diffView());
  }

  /**
   * The values or gradients at the current shape with what keeps their memory alive: hold the
   * result as long as its buffer is used (a reshape that grows the blob moves it to new memory,
   * and the old memory is freed when nothing holds it).
   */
  public BlobMemory memory(boolean diff) {
    INDArray values = diff ? blob.diff() : blob.data();
    return new BlobMemory(values, diff ? diff() : data(), values.data().addressPointer().address(),
        blob.shape());
  }

  /**
   * One int in native memory that changes whenever the memory or the shape {@link #memory} gives
   * changes: a caller may keep what memory() returned while the number holds.
   */
  public IntBuffer layoutStamp() {
    return blob.layoutStamp();
  }

  /** True when both handles are the same blob (in-place tops, shared params). */
  public boolean sameBlob(BlobHandle other) {
    return other != null && other.blob == blob;
  }

  Blob blob() {
    return blob;
  }

  private FloatBuffer floats(DataView view) {
    if (!(view instanceof DataView.F32 f32)) {
      throw new KaffeeException("blob " + blob.shapeString() + " holds float64 values; only float32"
          + " blobs can be shared as float buffers");
    }
    return f32.buf().slice(0, blob.count());
  }
}
