package org.kaffee.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.kaffee.core.Blob;
import org.kaffee.layers.data.HDF5DataLayer;
import org.kaffee.proto.Caffe.HDF5DataParameter;
import org.kaffee.proto.Caffe.LayerParameter;

/** An HDF5 data file (listed in the layer's source list) read by the HDF5Data layer. */
class Hdf5ListFuzzTest {
  private static final Path DIR = FuzzRule.scratch("hdf5");

  @FuzzTest(maxDuration = FuzzRule.BUDGET)
  void hdf5(byte[] input) throws Exception {
    readThroughLayer(FuzzRule.write(DIR.resolve("input.h5"), input), DIR, 1);
  }

  /** Lists {@code h5} in a source list and runs the HDF5Data layer's set-up and {@code forwards} passes. */
  static void readThroughLayer(Path h5, Path dir, int forwards) throws Exception {
    Path list = dir.resolve("list.txt");
    Files.writeString(list, h5 + "\n");
    LayerParameter param = LayerParameter.newBuilder().setName("h5").setType("HDF5Data")
        .addTop("data").addTop("label")
        .setHdf5DataParam(HDF5DataParameter.newBuilder().setSource(list.toString()).setBatchSize(2))
        .build();
    FuzzRule.check(() -> {
      HDF5DataLayer layer = new HDF5DataLayer(param);
      List<Blob> top = new ArrayList<>(List.of(new Blob(1), new Blob(1)));
      layer.setUp(List.of(), top);
      for (int i = 0; i < forwards; i++) {
        layer.forward(List.of(), top);
      }
    });
  }
}
