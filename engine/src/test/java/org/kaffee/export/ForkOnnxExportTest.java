package org.kaffee.export;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.kaffee.core.KaffeeException;
import org.kaffee.core.Net;

/** The fork layers' ONNX forms give Kaffee's outputs in ONNX Runtime; those without one are named. */
class ForkOnnxExportTest {
  @Test
  void mobileNetAndShuffleNetLayersMatch() throws Exception {
    OnnxCases.check(OnnxCases.input("data", 2, 6, 5, 4)
        + "layer { name: 'r6' type: 'ReLU6' bottom: 'data' top: 'r6' }"
        + "layer { name: 'dw' type: 'DepthwiseConvolution' bottom: 'r6' top: 'dw' convolution_param { num_output: 6 kernel_size: 3 pad: 1 } }"
        + "layer { name: 'cdw' type: 'ConvolutionDepthwise' bottom: 'dw' top: 'cdw' convolution_param { num_output: 12 kernel_size: 3 stride: 2 group: 6 } }"
        + "layer { name: 'bvlc' type: 'Convolution' bottom: 'data' top: 'bvlc' convolution_param { num_output: 6 kernel_size: 3 group: 6 } }"
        + "layer { name: 'shuffle' type: 'ShuffleChannel' bottom: 'cdw' top: 'shuffle' shuffle_channel_param { group: 3 } }"
        + "layer { name: 'leaky6' type: 'ReLU6' bottom: 'shuffle' top: 'leaky6' relu6_param { negative_slope: 0.1 } }",
        -8, 8);
  }

  @Test
  void ssdLayersMatch() throws Exception {
    OnnxCases.check(OnnxCases.input("data", 2, 3, 4, 5) + OnnxCases.input("image", 1, 3, 40, 50)
        + "layer { name: 'pixel' type: 'Normalize' bottom: 'data' top: 'pixel' norm_param { across_spatial: false channel_shared: false } }"
        + "layer { name: 'whole' type: 'Normalize' bottom: 'data' top: 'whole' norm_param { across_spatial: true channel_shared: true } }"
        + "layer { name: 'perm' type: 'Permute' bottom: 'pixel' top: 'perm' permute_param { order: 0 order: 2 order: 3 order: 1 } }"
        + "layer { name: 'prior' type: 'PriorBox' bottom: 'data' bottom: 'image' top: 'prior' prior_box_param { min_size: 10 max_size: 20 aspect_ratio: 2 variance: 0.1 variance: 0.1 variance: 0.2 variance: 0.2 } }",
        -1, 1);
  }

  @Test
  void resizingLayersMatch() throws Exception {
    OnnxCases.check(OnnxCases.input("data", 2, 3, 5, 6)
        + "layer { name: 'zoom' type: 'Interp' bottom: 'data' top: 'zoom' interp_param { zoom_factor: 3 } }"
        + "layer { name: 'crop' type: 'Interp' bottom: 'data' top: 'crop' interp_param { height: 7 width: 2 pad_beg: -1 pad_end: -1 } }"
        + "layer { name: 'near' type: 'Upsample' bottom: 'data' top: 'near' upsample_param { scale_h: 2 scale_w: 3 } }",
        -1, 1);
  }

  @Test
  void axpyAndRoiPoolingMatch() throws Exception {
    Net net = OnnxCases.build(OnnxCases.input("a", 2, 3, 1, 1) + OnnxCases.input("x", 2, 3, 8, 8) + OnnxCases.input("y", 2, 3, 8, 8) + OnnxCases.input("rois", 3, 5)
        + "layer { name: 'axpy' type: 'Axpy' bottom: 'a' bottom: 'x' bottom: 'y' top: 'axpy' }"
        + "layer { name: 'roi' type: 'ROIPooling' bottom: 'axpy' bottom: 'rois' top: 'roi' roi_pooling_param { pooled_h: 3 pooled_w: 2 spatial_scale: 0.25 } }");
    OnnxRuntimeCheck.randomizeWeights(net, 3);
    float[] rois = {0, 3, 5, 20, 17, 1, 0, 0, 31, 31, 0, 8, 2, 14, 30};
    OnnxRuntimeCheck.assertSameOutputs(net, Map.of("rois", rois), -1, 1, 1e-5);
  }

  /** DetectionOutput's one case without a form (adaptive NMS) is in DetectionOutputOnnxTest. */
  @Test
  void layersWithoutAFaithfulFormAreNamed() {
    Net unpool = OnnxCases.build(OnnxCases.input("v", 1, 1, 2, 2) + OnnxCases.input("mask", 1, 1, 2, 2)
        + "layer { name: 'unpool' type: 'Upsample' bottom: 'v' bottom: 'mask' top: 'u' }");
    KaffeeException m = assertThrows(KaffeeException.class, () -> OnnxExporter.export(unpool));
    assertTrue(m.getMessage().contains("'unpool'") && m.getMessage().contains("mask"), m.getMessage());
  }

  @Test
  void theMultiBoxLossIsNamedInOneLine() {
    Net net = OnnxCases.build(OnnxCases.input("loc", 1, 8) + OnnxCases.input("conf", 1, 4) + OnnxCases.input("priors", 1, 2, 8)
        + OnnxCases.input("gt", 1, 1, 1, 8) + "layer { name: 'mbox_loss' type: 'MultiBoxLoss' bottom: 'loc' bottom: 'conf' "
        + "bottom: 'priors' bottom: 'gt' top: 'loss' multibox_loss_param { num_classes: 2 } }");
    KaffeeException e = assertThrows(KaffeeException.class, () -> OnnxExporter.export(net));
    assertTrue(e.getMessage().contains("'mbox_loss'") && e.getMessage().contains("MultiBoxLoss")
        && !e.getMessage().contains("\n"), e.getMessage());
  }
}
