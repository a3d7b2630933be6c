package org.kaffee.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.kaffee.proto.Caffe.NetParameter;

/**
 * The one reader of trained weights: a binary caffemodel or an HDF5 one (Caffe's
 * {@code .caffemodel.h5} layout), told apart by the file's first bytes, so a weights file
 * works wherever weights are taken whatever its name ({@code --weights}, {@code Kaffee.open},
 * pycaffe's {@code copy_from}, a snapshot restore).
 */
public final class WeightFiles {
  /** HDF5's format signature, at offset 0 of every file Caffe and jhdf write. */
  private static final byte[] HDF5_SIGNATURE = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};

  private WeightFiles() {
  }

  /** The weights as a NetParameter (layer names with their blobs), upgraded when binary. */
  public static NetParameter read(Path path) {
    return isHdf5(path) ? Hdf5Weights.read(path) : NetFiles.readNetBinary(path);
  }

  /** True for a file that starts with HDF5's signature, or is named {@code *.h5}. */
  public static boolean isHdf5(Path path) {
    if (path.getFileName() != null && path.getFileName().toString().endsWith(".h5")) {
      return true;
    }
    byte[] head = new byte[HDF5_SIGNATURE.length];
    try (InputStream in = Files.newInputStream(path)) {
      return in.readNBytes(head, 0, head.length) == head.length && Arrays.equals(head, HDF5_SIGNATURE);
    } catch (IOException e) {
      return false;  // the binary reader reports the unreadable file in its own words
    }
  }
}
