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

/**
 * A valid HDF5 data file (data and label datasets) damaged by an edit script ({@link FileEdits}:
 * truncation, bytes, 16-bit fields and 64-bit addresses and sizes), read by the HDF5Data layer
 * as train and test read it: set up, then two batches.
 */
class Hdf5CommandFuzzTest {
  private static final Path TEMPLATE = Path.of("engine/src/test/resources/org/kaffee/fuzz/Hdf5ListFuzzTestInputs/hdf5/data.h5");
  private static final Path DIR = FuzzRule.scratch("hdf5-command");

  @FuzzTest(maxDuration = FuzzRule.BUDGET)
  void hdf5Data(byte[] input) throws Exception {
    Path h5 = FuzzRule.write(DIR.resolve("input.h5"), FileEdits.apply(Files.readAllBytes(TEMPLATE), input, 0));
    Path list = DIR.resolve("list.txt");
    Files.writeString(list, h5 + "\n");
    LayerParameter param = LayerParameter.newBuilder().setName("h5").setType("HDF5Data")
        .addTop("data").addTop("label")
        .setHdf5DataParam(HDF5DataParameter.newBuilder().setSource(list.toString()).setBatchSize(2))
        .build();
    FuzzRule.check(() -> {
      HDF5DataLayer layer = new HDF5DataLayer(param);
      List<Blob> top = new ArrayList<>(List.of(new Blob(1), new Blob(1)));
      layer.setUp(List.of(), top);
      layer.forward(List.of(), top);
      layer.forward(List.of(), top);
    });
  }
}
