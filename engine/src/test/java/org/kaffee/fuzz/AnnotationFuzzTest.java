package org.kaffee.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.InvalidProtocolBufferException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.kaffee.data.AnnotatedTransformer;
import org.kaffee.data.AnnotationFiles;
import org.kaffee.data.GroundTruth;
import org.kaffee.data.Image;
import org.kaffee.io.ProtoFiles;
import org.kaffee.proto.Caffe.AnnotatedDatum;
import org.kaffee.proto.Caffe.BatchSampler;
import org.kaffee.proto.Caffe.Phase;
import org.kaffee.proto.Caffe.TransformationParameter;

/**
 * SSD's annotations as Kaffee reads them: a VOC XML file and a box list (convert_annoset,
 * evaluate --detection), and an AnnotatedDatum record through AnnotatedData's whole augmentation
 * (distortion, expansion, a sampled crop, resize, mirror). The first byte picks the kind, the
 * rest is the file or record.
 */
class AnnotationFuzzTest {
  private static final Path DIR = FuzzRule.scratch("annotation");
  private static final Map<String, Integer> NAMES = Map.of("rectangle", 1, "circle", 2);
  private static final TransformationParameter AUGMENT = ProtoFiles.parseText("mirror: true mean_value: 104"
      + " mean_value: 117 mean_value: 123 resize_param { prob: 1 resize_mode: WARP height: 8 width: 8"
      + " interp_mode: LINEAR } emit_constraint { emit_type: CENTER }"
      + " distort_param { brightness_prob: 0.5 brightness_delta: 32 contrast_prob: 0.5 contrast_lower: 0.5"
      + " contrast_upper: 1.5 hue_prob: 0.5 hue_delta: 18 saturation_prob: 0.5 saturation_lower: 0.5"
      + " saturation_upper: 1.5 random_order_prob: 0.5 }"
      + " expand_param { prob: 0.5 max_expand_ratio: 2 }", "fuzz", TransformationParameter.newBuilder()).build();
  private static final List<BatchSampler> SAMPLERS = List.of(ProtoFiles.parseText("max_sample: 1 max_trials: 10"
      + " sampler { min_scale: 0.3 max_scale: 1 min_aspect_ratio: 0.5 max_aspect_ratio: 2 }"
      + " sample_constraint { min_jaccard_overlap: 0.1 }", "fuzz", BatchSampler.newBuilder()).build());

  @FuzzTest(maxDuration = FuzzRule.BUDGET)
  void annotation(byte[] input) throws Exception {
    if (input.length == 0) {
      return;
    }
    byte[] body = Arrays.copyOfRange(input, 1, input.length);
    switch (Math.floorMod(input[0], 3)) {
      case 0 -> {
        Path file = FuzzRule.write(DIR.resolve("a.xml"), body);
        FuzzRule.check(() -> AnnotationFiles.readXml(file, NAMES, 32, 48));
      }
      case 1 -> {
        Path file = FuzzRule.write(DIR.resolve("a.txt"), body);
        FuzzRule.check(() -> AnnotationFiles.readTxt(file, 32, 48));
      }
      default -> augment(body);
    }
  }

  private static void augment(byte[] record) throws Exception {
    AnnotatedDatum datum;
    try {
      datum = AnnotatedDatum.parseFrom(record);
    } catch (InvalidProtocolBufferException e) {
      return;  // AnnotatedData turns this into a KaffeeException naming the key
    }
    FuzzRule.check(() -> {
      AnnotatedTransformer t = new AnnotatedTransformer(AUGMENT, SAMPLERS, Phase.TRAIN, new Random(1), "fuzz");
      Image image = t.decode(datum.getDatum(), "fuzz record");
      t.checkChannels(image.channels, "fuzz");
      t.transform(image, GroundTruth.of(datum), "fuzz record");
    });
  }
}
