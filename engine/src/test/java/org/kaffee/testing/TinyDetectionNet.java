package org.kaffee.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import org.kaffee.io.ProtoFiles;
import org.kaffee.proto.Caffe.BlobProto;
import org.kaffee.proto.Caffe.BlobShape;
import org.kaffee.proto.Caffe.LayerParameter;
import org.kaffee.proto.Caffe.NetParameter;

/**
 * A detection net whose answer is known by hand: a 20x20 input pooled to a 2x2 map, PriorBox
 * gives one 10x10 prior per cell (the four quarters of the image), the box offsets are zero (so
 * each box is its prior) and the class scores are constant (an InnerProduct with zero weights
 * and the bias {@link #CONF}), whatever the image. DetectionOutput keeps every score above 0.01.
 */
public final class TinyDetectionNet {
  public static final String DEPLOY = """
      name: "tiny_ssd"
      layer { name: "data" type: "Input" top: "data" input_param { shape { dim: 1 dim: 3 dim: 20 dim: 20 } } }
      layer { name: "pool" type: "Pooling" bottom: "data" top: "map"
        pooling_param { pool: AVE kernel_size: 10 stride: 10 } }
      layer { name: "priors" type: "PriorBox" bottom: "map" bottom: "data" top: "priors"
        prior_box_param { min_size: 10 variance: 0.1 variance: 0.1 variance: 0.2 variance: 0.2 } }
      layer { name: "loc" type: "InnerProduct" bottom: "map" top: "loc"
        inner_product_param { num_output: 16 weight_filler { type: "constant" } bias_filler { type: "constant" } } }
      layer { name: "conf" type: "InnerProduct" bottom: "map" top: "conf" inner_product_param { num_output: 12 } }
      layer { name: "detect" type: "DetectionOutput" bottom: "loc" bottom: "conf" bottom: "priors"
        top: "detection_out"
        detection_output_param { num_classes: 3 background_label_id: 0 code_type: CENTER_SIZE
          confidence_threshold: 0.01 keep_top_k: 100 nms_param { nms_threshold: 0.45 } } }
      """;

  /**
   * Background, class 1, class 2 at each prior (top-left, top-right, bottom-left,
   * bottom-right quarter): class 1 scores 0.9 top-left, class 2 0.7 top-right and 0.55
   * bottom-right, class 1 0.3 bottom-left; the rest 0.1 or less.
   */
  public static final float[] CONF = {
      0.1f, 0.9f, 0.0f,
      0.2f, 0.1f, 0.7f,
      0.6f, 0.3f, 0.1f,
      0.4f, 0.05f, 0.55f};

  /** The label file's lines: background first, as SSD's label maps number the classes. */
  public static final String LABELS = "background\ncat\ndog\n";

  private TinyDetectionNet() {
  }

  /** Writes {@code tiny_ssd.prototxt}, {@code tiny_ssd.caffemodel} and {@code labels.txt} into {@code dir}. */
  public static void write(Path dir) throws java.io.IOException {
    Files.writeString(dir.resolve("tiny_ssd.prototxt"), DEPLOY);
    Files.writeString(dir.resolve("labels.txt"), LABELS);
    BlobProto.Builder weight = BlobProto.newBuilder().setShape(BlobShape.newBuilder().addDim(12).addDim(12));
    for (int i = 0; i < 12 * 12; i++) {
      weight.addData(0);
    }
    BlobProto.Builder bias = BlobProto.newBuilder().setShape(BlobShape.newBuilder().addDim(12));
    for (float c : CONF) {
      bias.addData(c);
    }
    NetParameter weights = NetParameter.newBuilder().setName("tiny_ssd")
        .addLayer(LayerParameter.newBuilder().setName("conf").setType("InnerProduct").addBlobs(weight).addBlobs(bias))
        .build();
    ProtoFiles.writeBinary(dir.resolve("tiny_ssd.caffemodel"), weights);
  }
}
