package org.kaffee.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.TextFormat;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.kaffee.core.KaffeeException;
import org.kaffee.io.WeightFiles;
import org.kaffee.proto.Caffe.NetParameter;
import org.kaffee.proto.Caffe.Phase;
import org.kaffee.testing.SilentLog;

/** Kaffee.open: the state a net is built for, its weights (binary and HDF5 alike), its batch size. */
@ExtendWith(SilentLog.class)
class NetLoaderTest {
  static final String NET = """
      name: "staged"
      layer { name: "data" type: "Input" top: "data" input_param { shape { dim: 2 dim: 3 } } }
      layer { name: "ip" type: "InnerProduct" bottom: "data" top: "ip"
        inner_product_param { num_output: 4 weight_filler { type: "gaussian" std: 1 } } }
      layer { name: "train_only" type: "AbsVal" bottom: "ip" top: "t" include { phase: TRAIN } }
      layer { name: "level1" type: "AbsVal" bottom: "ip" top: "l" include { min_level: 1 } }
      layer { name: "stage_a" type: "AbsVal" bottom: "ip" top: "a" include { stage: "A" } }
      """;

  @TempDir
  Path dir;

  private static NetParameter definition() throws Exception {
    return TextFormat.parse(NET, NetParameter.class);
  }

  @Test
  void phaseLevelAndStagesFilterTheLayersAsCaffe() throws Exception {
    assertEquals(List.of("data", "ip"), Kaffee.open(definition()).load().layerNames());
    assertEquals(List.of("data", "ip", "train_only"),
        Kaffee.open(definition()).phase(Phase.TRAIN).load().layerNames());
    assertEquals(List.of("data", "ip", "ip_ip_0_split", "level1", "stage_a"),
        Kaffee.open(definition()).level(1).stages(List.of("A")).load().layerNames());
  }

  @Test
  void batchSizeReshapesTheFirstInputAndTheLayersAfterIt() throws Exception {
    Network net = Kaffee.open(definition()).batchSize(7).load();
    assertArrayEquals(new int[] {7, 3}, net.inputShape());
    assertArrayEquals(new int[] {7, 4}, net.blobShape("ip"));
    assertThrows(KaffeeException.class, () -> Kaffee.open(definition()).batchSize(0));
  }

  @Test
  void forceBackwardReachesTheInputs() throws Exception {
    Network net = Kaffee.open(definition()).forceBackward(true).load();
    net.blobHandle("data").data().put(0, 1f);
    net.forward(0, 1);
    net.blobHandle("ip").diff().put(0, 1f);
    net.backward(1, 0);
    assertNotEquals(0f, net.blobHandle("data").diff().get(0));
  }

  @Test
  void binaryAndHdf5WeightsGiveTheSameNet() throws Exception {
    Network trained = Kaffee.open(definition()).load();
    Path binary = dir.resolve("w.caffemodel");
    Path hdf5 = dir.resolve("w_no_extension");  // told apart by content, not name
    trained.save(binary);
    trained.saveHdf5(hdf5);
    assertFalse(WeightFiles.isHdf5(binary));
    assertTrue(WeightFiles.isHdf5(hdf5));
    float[] expected = trained.params("ip").get(0);
    for (Path weights : List.of(binary, hdf5)) {
      Network loaded = Kaffee.open(definition()).weights(weights).load();
      assertArrayEquals(expected, loaded.params("ip").get(0), weights.toString());
    }
    assertArrayEquals(expected, Kaffee.open(definition())
        .weights(binary.toString() + ", " + hdf5).load().params("ip").get(0));
  }

  @Test
  void laterWeightsFilesWinAndCopyFromReadsBoth() throws Exception {
    Network first = Kaffee.open(definition()).load();
    Network second = Kaffee.open(definition()).load();
    Path a = dir.resolve("a.caffemodel");
    Path b = dir.resolve("b.caffemodel.h5");
    first.save(a);
    second.saveHdf5(b);
    Network both = Kaffee.open(definition()).weights(a, b).load();
    assertArrayEquals(second.params("ip").get(0), both.params("ip").get(0));
    both.copyFrom(a);
    assertArrayEquals(first.params("ip").get(0), both.params("ip").get(0));
  }

  @Test
  void aWeightsFileThatIsNeitherFormatIsOneLineNamingIt() throws Exception {
    Path junk = Files.writeString(dir.resolve("junk.caffemodel"), "not weights at all");
    KaffeeException e = assertThrows(KaffeeException.class,
        () -> Kaffee.open(definition()).weights(junk).load());
    assertTrue(e.getMessage().startsWith(junk.toString()), e.getMessage());
    Path badH5 = Files.writeString(dir.resolve("bad.caffemodel.h5"), "not hdf5");
    e = assertThrows(KaffeeException.class, () -> Kaffee.open(definition()).weights(badH5).load());
    assertTrue(e.getMessage().startsWith(badH5.toString()), e.getMessage());
  }

  @Test
  void blobHandlesAreTheBlobsMemory() throws Exception {
    Network net = Kaffee.open(definition()).load();
    BlobHandle data = net.blobHandle("data");
    FloatBuffer buffer = data.data();
    assertTrue(buffer.isDirect());
    assertEquals(6, buffer.capacity());
    buffer.put(4, 2.5f);
    assertEquals(2.5f, net.blob("data")[4]);
    BlobMemory memory = data.memory(false);
    data.reshape(50, 3);  // grows: new memory, the old one stays alive while held
    assertEquals(2.5f, memory.buffer().get(4));
    assertArrayEquals(new int[] {2, 3}, memory.shape());
    assertArrayEquals(new int[] {50, 3}, data.shape());
  }

  @Test
  void layerHandlesListTypesNamesAndParams() throws Exception {
    Network net = Kaffee.open(definition()).phase(Phase.TRAIN).load();
    List<LayerHandle> layers = net.layers();
    assertEquals(List.of("Input", "InnerProduct", "AbsVal"), layers.stream().map(LayerHandle::type).toList());
    assertEquals(List.of("ip"), layers.get(2).bottomNames());
    assertEquals(List.of("t"), layers.get(2).topNames());
    assertArrayEquals(new int[] {4, 3}, layers.get(1).blobs().get(0).shape());
    KaffeeException e = assertThrows(KaffeeException.class, () -> net.forward(2, 1));
    assertEquals("net staged: layer range 2..1 is outside its 3 layers", e.getMessage());
  }
}
