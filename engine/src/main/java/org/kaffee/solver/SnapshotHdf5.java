package org.kaffee.solver;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.jhdf.api.WritableGroup;
import java.lang.reflect.Array;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.kaffee.core.Blob;
import org.kaffee.core.DataView;
import org.kaffee.core.KaffeeException;
import org.kaffee.core.Layer;
import org.kaffee.core.Net;
import org.kaffee.io.AtomicFiles;
import org.kaffee.io.Hdf5Weights;
import org.kaffee.proto.Caffe.BlobProto;
import org.kaffee.proto.Caffe.LayerParameter;
import org.kaffee.proto.Caffe.NetParameter;

/**
 * Caffe's HDF5 snapshot layout. Model: group {@code data} with one group per layer
 * (parameterless layers as empty groups) holding float datasets {@code 0, 1, ...}, and
 * a {@code diff} group alike when diffs are written. State: {@code iter} and
 * {@code current_step} (int32 [1]), {@code learned_net} (string), {@code history/0...}, and
 * Kaffee's resume state as bytes in a dataset of its own ({@link ResumeStates#HDF5_DATASET}),
 * which Caffe does not read.
 */
public final class SnapshotHdf5 {
  private SnapshotHdf5() {
  }

  /** What a .solverstate.h5 holds; {@code resume} is null in Caffe's. */
  public record State(int iter, String learnedNet, int currentStep, List<BlobProto> history, byte[] resume) {
  }

  /** Writes the model, for a file of an {@link AtomicFiles} set. */
  public static AtomicFiles.Writer model(Net net, boolean writeDiff) {
    return hdf5(file -> {
      WritableGroup data = file.putGroup("data");
      WritableGroup diff = writeDiff ? file.putGroup("diff") : null;
      List<Layer> layers = net.layers();
      for (int i = 0; i < layers.size(); i++) {
        String name = net.layerNames().get(i);
        WritableGroup dataLayer = data.putGroup(name);
        WritableGroup diffLayer = writeDiff ? diff.putGroup(name) : null;
        List<Blob> blobs = layers.get(i).blobs();
        for (int j = 0; j < blobs.size(); j++) {
          dataLayer.putDataset(Integer.toString(j), shaped(blobs.get(j).dataView(),
              blobs.get(j).shape()));
          if (writeDiff) {
            diffLayer.putDataset(Integer.toString(j), shaped(blobs.get(j).diffView(),
                blobs.get(j).shape()));
          }
        }
      }
    });
  }

  /** Writes the solver state, for a file of an {@link AtomicFiles} set. */
  public static AtomicFiles.Writer state(int iter, String learnedNet, int currentStep,
      List<Blob> history, byte[] resume) {
    return hdf5(file -> {
      file.putDataset(ResumeStates.HDF5_DATASET, resume);
      file.putDataset("iter", new int[] {iter});
      file.putDataset("learned_net", learnedNet);
      file.putDataset("current_step", new int[] {currentStep});
      WritableGroup group = file.putGroup("history");
      for (int i = 0; i < history.size(); i++) {
        group.putDataset(Integer.toString(i), shaped(history.get(i).dataView(),
            history.get(i).shape()));
      }
    });
  }

  public static State readState(Path path) {
    try (HdfFile file = Hdf5Weights.open(path)) {
      int iter = readInt(file, "iter", path);
      int currentStep = readInt(file, "current_step", path);
      String learned = null;
      Node node = file.getChild("learned_net");
      if (node instanceof Dataset ds) {
        Object v = ds.getData();
        learned = v instanceof String[] a ? a[0] : String.valueOf(v);
      }
      Node historyNode = file.getChild("history");
      KaffeeException.check(historyNode instanceof Group, "%s: no 'history' group", path);
      Map<Integer, BlobProto> ordered = Hdf5Weights.indexedBlobs((Group) historyNode, path);
      Node resume = file.getChild(ResumeStates.HDF5_DATASET);
      return new State(iter, learned, currentStep, new ArrayList<>(ordered.values()),
          resume instanceof Dataset ds && ds.getData() instanceof byte[] bytes ? bytes : null);
    } catch (RuntimeException e) {
      throw Hdf5Weights.readError(path, "HDF5 solver state", e);
    }
  }

  /** Reads a .caffemodel.h5 ({@link Hdf5Weights}) with each layer's type taken from the net, for the log. */
  public static NetParameter readModel(Path path, Net net) {
    NetParameter.Builder out = Hdf5Weights.read(path).toBuilder().setName(net.name());
    for (LayerParameter.Builder lp : out.getLayerBuilderList()) {
      Layer target = net.layerByName(lp.getName());
      if (target != null) {
        lp.setType(target.type());
      }
    }
    return out.build();
  }

  private static int readInt(HdfFile file, String name, Path path) {
    Node node = file.getChild(name);
    KaffeeException.check(node instanceof Dataset, "%s: no '%s' dataset", path, name);
    Object v = ((Dataset) node).getData();
    if (v instanceof int[] a) {
      return a[0];
    }
    if (v instanceof long[] a) {
      return Math.toIntExact(a[0]);
    }
    return ((Number) v).intValue();
  }

  /** A float array shaped like the blob (float[d0][d1]...), as jhdf writes N-d datasets. */
  private static Object shaped(DataView view, int[] shape) {
    if (shape.length == 0) {
      return new float[] {(float) view.get(0)};
    }
    Object array = Array.newInstance(float.class, shape);
    fill(array, shape, 0, view, new int[] {0});
    return array;
  }

  private static void fill(Object array, int[] shape, int axis, DataView view, int[] next) {
    if (axis == shape.length - 1) {
      float[] row = (float[]) array;
      for (int i = 0; i < row.length; i++) {
        row[i] = (float) view.get(next[0]++);
      }
      return;
    }
    for (int i = 0; i < shape[axis]; i++) {
      fill(Array.get(array, i), shape, axis + 1, view, next);
    }
  }

  private interface Writer {
    void write(WritableHdfFile file);
  }

  private static AtomicFiles.Writer hdf5(Writer writer) {
    return tmp -> {
      try (WritableHdfFile file = HdfFile.write(tmp)) {
        writer.write(file);
      }
    };
  }
}
