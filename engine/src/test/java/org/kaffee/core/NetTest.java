package org.kaffee.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.kaffee.io.ProtoFiles;
import org.kaffee.proto.Caffe.NetParameter;
import org.kaffee.proto.Caffe.Phase;

class NetTest {
  private static NetParameter parse(String text) {
    return ProtoFiles.parseText(text, "test.prototxt", NetParameter.newBuilder()).build();
  }

  @Test
  void splitsABlobWithTwoConsumersAsCaffeNamesThem() {
    NetParameter p = parse("""
        name: "n"
        layer { name: "in" type: "Input" top: "x" input_param { shape { dim: 2 dim: 3 } } }
        layer { name: "a" type: "Split" bottom: "x" top: "y" }
        layer { name: "b" type: "Split" bottom: "x" top: "z" }
        """);
    Net net = new Net(p);
    assertEquals(List.of("in", "in_x_0_split", "a", "b"), net.layerNames());
    assertTrue(net.hasBlob("in_x_0_split_0"));
    assertTrue(net.hasBlob("in_x_0_split_1"));
    assertEquals(List.of("y", "z"), net.outputBlobNames());
    assertArrayEquals(new int[] {2, 3}, net.blobByName("y").shape());
  }

  @Test
  void filtersLayersByPhaseAndStage() {
    NetParameter p = parse("""
        layer { name: "in" type: "Input" top: "x" input_param { shape { dim: 1 } } }
        layer { name: "train_only" type: "Split" bottom: "x" top: "t" include { phase: TRAIN } }
        layer { name: "staged" type: "Split" bottom: "x" top: "s" include { stage: "deploy" } }
        layer { name: "not_staged" type: "Split" bottom: "x" top: "u" exclude { stage: "deploy" } }
        """);
    Net train = Net.forPhase(p, Phase.TRAIN, 0, List.of());
    assertEquals(List.of("t", "u"), train.outputBlobNames());
    Net deploy = Net.forPhase(p, Phase.TEST, 0, List.of("deploy"));
    assertEquals(List.of("s"), deploy.outputBlobNames());
  }

  @Test
  void unknownBottomNamesTheLayerAndIndex() {
    NetParameter p = parse("""
        layer { name: "a" type: "Split" bottom: "nothing" top: "y" }
        """);
    KaffeeException e = assertThrows(KaffeeException.class, () -> new Net(p));
    assertEquals("unknown bottom blob 'nothing' (layer 'a', bottom index 0)", e.getMessage());
  }

  @Test
  void unknownTypeListsKnownTypes() {
    NetParameter p = parse("layer { name: \"a\" type: \"Nope\" top: \"y\" }");
    KaffeeException e = assertThrows(KaffeeException.class, () -> new Net(p));
    assertTrue(e.getMessage().contains("unknown layer type 'Nope'"), e.getMessage());
    assertTrue(e.getMessage().contains("Split"), e.getMessage());
  }
}
