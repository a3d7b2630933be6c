package org.kaffee.parallel;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** An HDF5Data source for the parallel tests: several part files and the list naming them. */
final class Hdf5Parts {
  /** One part file's "data" rows and their "label"s. */
  record Part(float[][] data, float[] label) {
  }

  private Hdf5Parts() {
  }

  /** Writes part0.h5, part1.h5, ... into {@code dir} and lists them, in order, in {@code listName}. */
  static void write(Path dir, String listName, List<Part> parts) throws Exception {
    StringBuilder list = new StringBuilder();
    for (int f = 0; f < parts.size(); f++) {
      Path file = dir.resolve("part" + f + ".h5");
      try (WritableHdfFile h5 = HdfFile.write(file)) {
        h5.putDataset("data", parts.get(f).data());
        h5.putDataset("label", parts.get(f).label());
      }
      list.append(file).append('\n');
    }
    Files.writeString(dir.resolve(listName), list.toString());
  }
}
