package org.kaffee.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kaffee.proto.Caffe.InterpParameter;
import org.kaffee.proto.Caffe.LayerParameter;
import org.kaffee.proto.Caffe.NetParameter;
import org.kaffee.proto.Caffe.PriorBoxParameter;
import org.kaffee.proto.Caffe.SolverParameter;
import org.kaffee.proto.Caffe.UpsampleParameter;

/** The forks' LayerParameter fields: their numbers, their text, and binary files of the colliding ones. */
class ForkSchemaTest {
  /** Field numbers as the forks' own caffe.proto give them (the two moved ones as Kaffee gives them). */
  private static final Map<String, Integer> FORK_NUMBERS = Map.ofEntries(
      Map.entry("annotated_data_param", 200), Map.entry("multibox_loss_param", 201),
      Map.entry("permute_param", 202), Map.entry("prior_box_param", 203),
      Map.entry("detection_output_param", 204), Map.entry("detection_evaluate_param", 205),
      Map.entry("norm_param", 206), Map.entry("roi_pooling_param", 8266711),
      Map.entry("smooth_l1_loss_param", 8266712), Map.entry("shuffle_channel_param", 164),
      Map.entry("relu6_param", 100000), Map.entry("upsample_param", 10149),
      Map.entry("interp_param", 10143), Map.entry("contrastive_accuracy_param", 149),
      Map.entry("input_param", 143), Map.entry("swish_param", 147), Map.entry("clip_param", 148));

  @Test
  void forkFieldsHaveTheForksNumbers() {
    var fields = LayerParameter.getDescriptor();
    FORK_NUMBERS.forEach((name, number) ->
        assertEquals(number, fields.findFieldByName(name).getNumber(), name));
  }

  @Test
  void ssdSolverFieldsReadFromTextBesideBvlcsFieldsOfTheSameForkNumbers() {
    SolverParameter solver = ProtoFiles.parseText("""
        eval_type: "detection" ap_version: "11point" show_per_class_result: true
        layer_wise_reduce: false weights: "a.caffemodel"
        """, "solver.prototxt", SolverParameter.newBuilder()).build();
    assertEquals("detection", solver.getEvalType());
    assertEquals("11point", solver.getApVersion());
    assertTrue(solver.getShowPerClassResult());
    assertFalse(solver.getLayerWiseReduce());
    assertEquals("a.caffemodel", solver.getWeights(0));
    assertEquals("classification", SolverParameter.getDefaultInstance().getEvalType());
    assertEquals("Integral", SolverParameter.getDefaultInstance().getApVersion());
  }

  @Test
  void anSsdPriorBoxReadsFromText() {
    NetParameter net = ProtoFiles.parseText("""
        layer { name: "p" type: "PriorBox" bottom: "f" bottom: "data" top: "p"
          prior_box_param { min_size: 30 max_size: 60 aspect_ratio: 2 flip: true clip: false
            variance: 0.1 variance: 0.1 variance: 0.2 variance: 0.2 step: 8 offset: 0.5 } }
        layer { name: "d" type: "DetectionOutput" bottom: "a" top: "d"
          detection_output_param { num_classes: 21 code_type: CENTER_SIZE keep_top_k: 200
            nms_param { nms_threshold: 0.45 top_k: 400 eta: 1 } confidence_threshold: 0.01 } }
        """, "ssd.prototxt", NetParameter.newBuilder()).build();
    PriorBoxParameter p = net.getLayer(0).getPriorBoxParam();
    assertEquals(60f, p.getMaxSize(0));
    assertEquals(4, p.getVarianceCount());
    assertEquals(PriorBoxParameter.CodeType.CENTER_SIZE, net.getLayer(1).getDetectionOutputParam().getCodeType());
    assertEquals(0.45f, net.getLayer(1).getDetectionOutputParam().getNmsParam().getNmsThreshold());
  }

  @Test
  void binaryNetsOfTheCollidingForksLoadWithTheirParameters(@TempDir Path dir) throws Exception {
    InterpParameter interp = InterpParameter.newBuilder().setZoomFactor(8).setPadEnd(-1).build();
    UpsampleParameter upsample = UpsampleParameter.newBuilder().setScale(2).setUpsampleH(38).build();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    out.writeMessage(100, forkLayer("interp", "Interp", 143, interp.toByteString()));
    out.writeMessage(100, forkLayer("up", "Upsample", 149, upsample.toByteString()));
    out.flush();
    Path file = dir.resolve("fork.caffemodel");
    Files.write(file, bytes.toByteArray());

    NetParameter net = NetFiles.readNetBinary(file);

    assertEquals(interp, net.getLayer(0).getInterpParam());
    assertFalse(net.getLayer(0).hasInputParam());
    assertEquals(upsample, net.getLayer(1).getUpsampleParam());
    assertFalse(net.getLayer(1).hasContrastiveAccuracyParam());
  }

  @Test
  void aBvlcInputLayerKeepsItsInputParam(@TempDir Path dir) throws Exception {
    NetParameter bvlc = ProtoFiles.parseText("""
        layer { name: "data" type: "Input" top: "data" input_param { shape { dim: 1 dim: 3 } } }
        """, "input.prototxt", NetParameter.newBuilder()).build();
    Path file = dir.resolve("input.caffemodel");
    Files.write(file, bvlc.toByteArray());
    NetParameter net = NetFiles.readNetBinary(file);
    assertTrue(net.getLayer(0).hasInputParam());
    assertEquals(3, net.getLayer(0).getInputParam().getShape(0).getDim(1));
  }

  /** A LayerParameter as the fork writes it: the parameter under the fork's field number. */
  private static LayerParameter forkLayer(String name, String type, int field, ByteString param)
      throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    out.writeBytes(field, param);
    out.flush();
    return LayerParameter.newBuilder().setName(name).setType(type)
        .mergeFrom(bytes.toByteArray()).build();
  }
}
