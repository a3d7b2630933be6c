package org.kaffee.layers.data;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Node;
import java.io.IOException;
import java.lang.reflect.Array;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.kaffee.core.Blob;
import org.kaffee.core.BlobCounts;
import org.kaffee.core.DataView;
import org.kaffee.core.KaffeeException;
import org.kaffee.core.Layer;
import org.kaffee.core.ResumableState;
import org.kaffee.core.Rng;
import org.kaffee.core.SeededRandom;
import org.kaffee.io.Hdf5Files;
import org.kaffee.io.ProtoFiles;
import org.kaffee.io.WorkDir;
import org.kaffee.log.Glog;
import org.kaffee.proto.Caffe.HDF5DataParameter;
import org.kaffee.proto.Caffe.LayerParameter;
import org.kaffee.proto.KaffeeState.LayerState;
import org.kaffee.proto.KaffeeState.Permutation;

/**
 * Reads batches from HDF5 files (Caffe's HDF5Data): {@code source} lists .h5 files, one per
 * line; each top reads the dataset of the same name, rows along the first axis. Rows and
 * files cycle; with {@code shuffle} the file order and each file's rows are permuted.
 *
 * <p>Resume state: the file (its place in the file order) and row, both orders and the
 * shuffling generator.
 */
public final class HDF5DataLayer extends Layer implements ResumableState {
  private final List<Path> files = new ArrayList<>();
  private final List<Integer> fileOrder = new ArrayList<>();
  private final List<Integer> rowOrder = new ArrayList<>();
  private float[][] rows;
  private int[][] rowShapes;
  private int rowCount;
  private int currentFile;
  private int currentRow;
  /** The shuffling generator (set when shuffle is on). */
  private SeededRandom rng;

  public HDF5DataLayer(LayerParameter param) {
    super(param, BlobCounts.ranges(0, 0, 1, BlobCounts.MANY));
  }

  @Override
  public String type() {
    return "HDF5Data";
  }

  @Override
  protected void layerSetUp(List<Blob> bottom, List<Blob> top) {
    HDF5DataParameter p = param.getHdf5DataParam();
    check(p.getBatchSize() > 0, "hdf5_data_param.batch_size must be positive");
    Path source = WorkDir.resolve(p.getSource());
    for (String line : ProtoFiles.readString(source).split("\n")) {
      String name = line.trim();
      if (!name.isEmpty()) {
        files.add(WorkDir.resolve(name));
      }
    }
    check(!files.isEmpty(), "source %s lists no HDF5 files", source);
    Glog.info("Number of HDF5 files: %d", files.size());
    for (int i = 0; i < files.size(); i++) {
      fileOrder.add(i);
    }
    if (p.getShuffle()) {
      // A generator of its own: forward draws interleave with no other layer's, so data-parallel
      // replicas (whose dropout masks draw fewer numbers than one big batch) shuffle alike.
      rng = Rng.fork();
      Collections.shuffle(fileOrder, rng);
    }
    load(files.get(fileOrder.get(0)));
    for (int t = 0; t < top.size(); t++) {
      int[] shape = new int[rowShapes[t].length + 1];
      shape[0] = p.getBatchSize();
      System.arraycopy(rowShapes[t], 0, shape, 1, rowShapes[t].length);
      top.get(t).reshape(shape);
    }
  }

  private void load(Path file) {
    ProtoFiles.checkReadable(file);
    Glog.info("Loading HDF5 file: %s", file);
    List<String> names = param.getTopList();
    rows = new float[names.size()][];
    rowShapes = new int[names.size()][];
    try (HdfFile hdf = Hdf5Files.open(file)) {
      for (int t = 0; t < names.size(); t++) {
        Node node = hdf.getByPath(names.get(t));
        check(node instanceof Dataset, "%s has no dataset named '%s'", file, names.get(t));
        Dataset ds = (Dataset) node;
        int[] dims = ds.getDimensions();
        check(dims.length >= 1, "dataset '%s' in %s must have at least one axis", names.get(t), file);
        checkDeclaredSize(file, names.get(t), dims, ds.getDataType().getSize());
        rows[t] = toFloats(ds.getDataFlat());
        rowShapes[t] = Arrays.copyOfRange(dims, 1, dims.length);
        if (t == 0) {
          rowCount = dims[0];
        } else {
          check(dims[0] == rowCount, "dataset '%s' in %s has %d rows, '%s' has %d", names.get(t),
              file, dims[0], names.get(0), rowCount);
        }
      }
    } catch (KaffeeException e) {
      throw e;
    } catch (Exception e) {
      throw new KaffeeException(file + ": cannot read HDF5 data: " + e.getMessage(), e);
    }
    Glog.info("Successfully loaded %d rows", rowCount);
    rowOrder.clear();
    for (int i = 0; i < rowCount; i++) {
      rowOrder.add(i);
    }
    if (param.getHdf5DataParam().getShuffle()) {
      Collections.shuffle(rowOrder, rng);
    }
    currentRow = 0;
  }

  /**
   * A dataset cannot hold more bytes than its file (1032 times more when deflated, deflate's
   * limit): checked before reading, so a corrupt header cannot ask for gigabytes.
   */
  private void checkDeclaredSize(Path file, String name, int[] dims, int elementSize) throws IOException {
    long count = 1;
    for (int d : dims) {
      check(d >= 0, "dataset '%s' in %s has a negative dimension", name, file);
      count *= d;  // at most 2^31 * 2^31: no overflow before the check below
      check(count <= Integer.MAX_VALUE && count * Math.max(1, elementSize) <= Files.size(file) * 1032,
          "dataset '%s' in %s declares %s values, more than the file can hold (corrupt file?)",
          name, file, Arrays.toString(dims));
    }
  }

  private static float[] toFloats(Object flat) {
    if (flat instanceof float[] f) {
      return f;
    }
    int n = Array.getLength(flat);
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      out[i] = ((Number) Array.get(flat, i)).floatValue();
    }
    return out;
  }

  @Override
  public void reshape(List<Blob> bottom, List<Blob> top) {
    // Shapes are fixed at set-up.
  }

  @Override
  public void forward(List<Blob> bottom, List<Blob> top) {
    int batch = param.getHdf5DataParam().getBatchSize();
    shard().skipBefore(batch, this::next);
    for (int i = 0; i < batch; i++) {
      int row = rowOrder.get(currentRow);
      for (int t = 0; t < top.size(); t++) {
        int dim = top.get(t).count(1);
        DataView out = top.get(t).dataView();
        float[] src = rows[t];
        for (int k = 0; k < dim; k++) {
          out.set(i * dim + k, src[row * dim + k]);
        }
      }
      next();
    }
    shard().skipAfter(batch, this::next);
  }

  private void next() {
    if (++currentRow < rowCount) {
      return;
    }
    if (files.size() > 1) {
      if (++currentFile == files.size()) {
        currentFile = 0;
        if (param.getHdf5DataParam().getShuffle()) {
          Collections.shuffle(fileOrder, rng);
        }
      }
      load(files.get(fileOrder.get(currentFile)));
    }
    currentRow = 0;
    if (param.getHdf5DataParam().getShuffle()) {
      Collections.shuffle(rowOrder, rng);
    }
  }

  @Override
  public LayerState saveState() {
    LayerState.Builder b = LayerState.newBuilder().addPosition(currentFile).addPosition(currentRow)
        .addPermutation(Permutation.newBuilder().addAllIndex(fileOrder))
        .addPermutation(Permutation.newBuilder().addAllIndex(rowOrder));
    if (rng != null) {
      b.addRandom(rng.state());
    }
    return b.build();
  }

  /** Loads the saved file (drawing a row order that the saved one then replaces). */
  @Override
  public void restoreState(LayerState state) {
    check(state.getPositionCount() == 2 && state.getPermutationCount() == 2
        && state.getRandomCount() == (rng == null ? 0 : 1), "the resume state is not an HDF5Data layer's"
        + " with shuffle %s", param.getHdf5DataParam().getShuffle());
    List<Integer> files = state.getPermutation(0).getIndexList();
    check(ResumableState.isPermutation(files, this.files.size()) && ResumableState.inRange(state.getPosition(0),
        files.size()), "the source lists %d files; the snapshot's file order of %d and file %d do not fit them"
        + " (changed since the snapshot? --resume_data=restart starts over)", this.files.size(), files.size(),
        state.getPosition(0));
    fileOrder.clear();
    fileOrder.addAll(files);
    currentFile = (int) state.getPosition(0);
    load(this.files.get(fileOrder.get(currentFile)));
    List<Integer> rows = state.getPermutation(1).getIndexList();
    check(ResumableState.isPermutation(rows, rowCount) && ResumableState.inRange(state.getPosition(1), rowCount),
        "%s has %d rows; the snapshot's row order of %d and row %d do not fit them (changed since the"
        + " snapshot?)", this.files.get(fileOrder.get(currentFile)), rowCount, rows.size(), state.getPosition(1));
    rowOrder.clear();
    rowOrder.addAll(rows);
    currentRow = (int) state.getPosition(1);
    if (rng != null) {
      rng.restore(state.getRandom(0));
    }
  }

  @Override
  public void backward(List<Blob> top, boolean[] propagateDown, List<Blob> bottom) {
  }
}
