package org.kaffee.io;

import io.jhdf.HdfFile;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Opens HDF5 files (HDF5Data sources, HDF5 snapshots) for reading. */
public final class Hdf5Files {
  private Hdf5Files() {
  }

  /**
   * Reads through a read-only map of the file: jhdf reading from a file channel allocates
   * whatever size a header declares before reading it (a 496-byte file could ask for
   * gigabytes and take minutes), while from a map the same header fails at once as a read
   * past the end. One map covers at most 2 GB; larger files are read through a channel.
   */
  public static HdfFile open(Path path) throws IOException {
    ProtoFiles.checkReadable(path);
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
      long size = channel.size();
      if (size > Integer.MAX_VALUE) {
        return new HdfFile(path);
      }
      return HdfFile.fromByteBuffer(channel.map(FileChannel.MapMode.READ_ONLY, 0, size));
    }
  }
}
