package org.kaffee.io;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.lang.reflect.Array;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.kaffee.core.KaffeeException;
import org.kaffee.proto.Caffe.BlobProto;
import org.kaffee.proto.Caffe.BlobShape;
import org.kaffee.proto.Caffe.LayerParameter;
import org.kaffee.proto.Caffe.NetParameter;

/**
 * Reads Caffe's HDF5 caffemodel ({@code .caffemodel.h5}, pycaffe's {@code save_hdf5}): a group
 * {@code data} with one group per layer holding float datasets {@code 0, 1, ...}. The result
 * is the NetParameter a binary caffemodel would give (layer names and blobs; types are not
 * stored in the file), so one weight-copying path serves both formats.
 */
public final class Hdf5Weights {
  private Hdf5Weights() {
  }

  public static NetParameter read(Path path) {
    try (HdfFile file = open(path)) {
      Node dataNode = file.getChild("data");
      KaffeeException.check(dataNode instanceof Group, "%s: not an HDF5 caffemodel: no 'data' group", path);
      NetParameter.Builder out = NetParameter.newBuilder();
      for (Map.Entry<String, Node> layer : ((Group) dataNode).getChildren().entrySet()) {
        KaffeeException.check(layer.getValue() instanceof Group,
            "%s: not an HDF5 caffemodel: data/%s is not a group", path, layer.getKey());
        out.addLayer(LayerParameter.newBuilder().setName(layer.getKey())
            .addAllBlobs(indexedBlobs((Group) layer.getValue(), path).values()));
      }
      return out.build();
    } catch (RuntimeException e) {
      throw readError(path, "HDF5 caffemodel", e);
    }
  }

  /** The datasets {@code 0, 1, ...} of a group, in index order (HDF5 lists them by name). */
  public static Map<Integer, BlobProto> indexedBlobs(Group group, Path path) {
    Map<Integer, BlobProto> ordered = new TreeMap<>();
    for (Map.Entry<String, Node> blob : group.getChildren().entrySet()) {
      int index;
      try {
        index = Integer.parseInt(blob.getKey());
      } catch (NumberFormatException e) {
        throw new KaffeeException(path + ": " + group.getPath() + blob.getKey()
            + " is not a numbered blob dataset");
      }
      KaffeeException.check(blob.getValue() instanceof Dataset, "%s: %s%s is not a dataset", path,
          group.getPath(), blob.getKey());
      ordered.put(index, blob((Dataset) blob.getValue()));
    }
    return ordered;
  }

  /** One float dataset as a BlobProto with its shape. */
  public static BlobProto blob(Dataset ds) {
    BlobShape.Builder shape = BlobShape.newBuilder();
    for (int d : ds.getDimensions()) {
      shape.addDim(d);
    }
    BlobProto.Builder b = BlobProto.newBuilder().setShape(shape);
    flatten(ds.getData(), b);
    return b.build();
  }

  /** Opens for reading; a failure is one line naming the file. */
  public static HdfFile open(Path path) {
    try {
      return Hdf5Files.open(path);
    } catch (java.io.IOException e) {
      throw new KaffeeException(path + ": cannot read: " + e.getMessage(), e);
    }
  }

  /** A KaffeeException as it is; anything jhdf throws on a damaged file as one line naming it. */
  public static KaffeeException readError(Path path, String what, RuntimeException e) {
    if (e instanceof KaffeeException k) {
      return k;
    }
    return new KaffeeException(path + ": not a valid " + what + " (" + e.getMessage() + ")", e);
  }

  private static void flatten(Object array, BlobProto.Builder out) {
    if (array instanceof float[] f) {
      for (float v : f) {
        out.addData(v);
      }
    } else if (array instanceof double[] d) {
      for (double v : d) {
        out.addData((float) v);
      }
    } else if (array instanceof Number n) {
      out.addData(n.floatValue());
    } else {
      int n = Array.getLength(array);
      for (int i = 0; i < n; i++) {
        flatten(Array.get(array, i), out);
      }
    }
  }
}
