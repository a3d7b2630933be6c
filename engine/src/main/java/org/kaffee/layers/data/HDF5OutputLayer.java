package org.kaffee.layers.data;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import java.io.IOException;
import java.lang.reflect.Array;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.kaffee.core.Blob;
import org.kaffee.core.BlobCounts;
import org.kaffee.core.DataView;
import org.kaffee.core.KaffeeException;
import org.kaffee.core.Layer;
import org.kaffee.io.AtomicFiles;
import org.kaffee.io.WorkDir;
import org.kaffee.proto.Caffe.LayerParameter;

/**
 * Caffe's HDF5Output layer: writes its two bottoms as float datasets {@code data} and
 * {@code label} to {@code file_name}, in the bottoms' legacy 4-D shapes (num, channels, height,
 * width: Caffe reshapes its copies with those accessors). As in Caffe the file holds
 * the last batch; each forward rewrites it (to a temporary file renamed into place).
 */
public final class HDF5OutputLayer extends Layer {
  private Path file;

  public HDF5OutputLayer(LayerParameter param) {
    super(param, BlobCounts.of(2, 0));
  }

  @Override
  public String type() {
    return "HDF5Output";
  }

  @Override
  protected void layerSetUp(List<Blob> bottom, List<Blob> top) {
    check(param.getHdf5OutputParam().hasFileName(), "hdf5_output_param.file_name is required");
    file = WorkDir.resolve(param.getHdf5OutputParam().getFileName());
  }

  @Override
  public void reshape(List<Blob> bottom, List<Blob> top) {
    check(bottom.get(0).num() == bottom.get(1).num(), "data has %d rows but label has %d", bottom.get(0).num(),
        bottom.get(1).num());
  }

  @Override
  public void forward(List<Blob> bottom, List<Blob> top) {
    write(file, bottom.get(0), bottom.get(1));
  }

  /** Writes two blobs as datasets "data" and "label". */
  static void write(Path file, Blob data, Blob label) {
    Path abs = file.toAbsolutePath();
    try {
      if (abs.getParent() != null) {
        Files.createDirectories(abs.getParent());
      }
      AtomicFiles.replace(abs, tmp -> {
        try (WritableHdfFile out = HdfFile.write(tmp)) {
          out.putDataset("data", toArray(data));
          out.putDataset("label", toArray(label));
        }
      });
    } catch (IOException | RuntimeException e) {
      throw new KaffeeException(file + ": cannot write HDF5 output: " + e.getMessage(), e);
    }
  }

  /** A float array of the blob's legacy 4-D shape. */
  static Object toArray(Blob blob) {
    int[] shape = {blob.num(), blob.channels(), blob.height(), blob.width()};
    Object arr = Array.newInstance(float.class, shape);
    DataView v = blob.dataView();
    fill(arr, shape, 0, v, new int[] {0});
    return arr;
  }

  private static void fill(Object arr, int[] shape, int axis, DataView v, int[] pos) {
    if (axis == shape.length - 1) {
      float[] row = (float[]) arr;
      for (int i = 0; i < row.length; i++) {
        row[i] = (float) v.get(pos[0]++);
      }
      return;
    }
    for (int i = 0; i < shape[axis]; i++) {
      fill(Array.get(arr, i), shape, axis + 1, v, pos);
    }
  }

  @Override
  public void backward(List<Blob> top, boolean[] propagateDown, List<Blob> bottom) {
  }
}
