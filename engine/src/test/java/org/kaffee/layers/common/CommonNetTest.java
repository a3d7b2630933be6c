package org.kaffee.layers.common;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.kaffee.core.Blob;
import org.kaffee.core.DataView;
import org.kaffee.core.Net;
import org.kaffee.core.Rng;
import org.kaffee.io.ProtoFiles;
import org.kaffee.proto.Caffe.NetParameter;
import org.nd4j.linalg.api.buffer.DataType;

/** The common layers inside a Net: memory-sharing layers, shared params and end-to-end gradients. */
class CommonNetTest {
  private static final String NET = """
      name: "n"
      force_backward: true
      layer { name: "in" type: "Input" top: "x" input_param { shape { dim: 2 dim: 3 dim: 2 } } }
      layer { name: "flat" type: "Flatten" bottom: "x" top: "f" }
      layer { name: "ip" type: "InnerProduct" bottom: "f" top: "h"
              inner_product_param { num_output: 4 weight_filler { type: "gaussian" } bias_filler { type: "gaussian" } } }
      layer { name: "r" type: "Reshape" bottom: "h" top: "h2" reshape_param { shape { dim: 0 dim: 2 dim: 2 } } }
      layer { name: "scale" type: "Scale" bottom: "h2" top: "s" scale_param { bias_term: true
              filler { type: "gaussian" } bias_filler { type: "gaussian" } } }
      layer { name: "sm" type: "Softmax" bottom: "s" top: "p" softmax_param { axis: 2 } }
      layer { name: "ip2" type: "InnerProduct" bottom: "f" top: "g" param { name: "w" } param { name: "b" }
              inner_product_param { num_output: 4 weight_filler { type: "gaussian" } bias_filler { type: "gaussian" } } }
      layer { name: "ip3" type: "InnerProduct" bottom: "f" top: "g2" param { name: "w" } param { name: "b" }
              inner_product_param { num_output: 4 } }
      layer { name: "cat" type: "Concat" bottom: "g" bottom: "g2" top: "gg" concat_param { axis: 1 } }
      layer { name: "mul" type: "Eltwise" bottom: "p" bottom: "h2" top: "e" eltwise_param { operation: PROD } }
      layer { name: "loss" type: "Reduction" bottom: "e" top: "l" loss_weight: 1 reduction_param { operation: SUMSQ } }
      layer { name: "loss2" type: "Reduction" bottom: "gg" top: "l2" loss_weight: 0.5 reduction_param { operation: SUMSQ } }
      """;

  private static Net net() {
    Rng.seed(5);
    NetParameter p = ProtoFiles.parseText(NET, "net.prototxt", NetParameter.newBuilder()).build();
    Net net = new Net(p, DataType.DOUBLE);
    DataView x = net.blobByName("x").dataView();
    java.util.Random r = new java.util.Random(3);
    for (int i = 0; i < 12; i++) {
      x.set(i, r.nextGaussian());
    }
    return net;
  }

  @Test
  void shapesAndSharing() {
    Net net = net();
    net.forward();
    assertArrayEquals(new int[] {2, 6}, net.blobByName("f").shape());
    assertArrayEquals(new int[] {2, 2, 2}, net.blobByName("h2").shape());
    assertArrayEquals(new int[] {2, 8}, net.blobByName("gg").shape());
    assertEquals(true, net.blobByName("f").sharesDataWith(net.blobByName("x")));
    Blob p = net.blobByName("p");
    for (int i = 0; i < 4; i++) {
      assertEquals(1.0, p.dataView().get(2 * i) + p.dataView().get(2 * i + 1), 1e-12);
    }
    // The shared weights make ip2 and ip3 give the same output.
    double[] g = org.kaffee.testing.TestBlobs.data(net.blobByName("gg"));
    for (int n = 0; n < 2; n++) {
      for (int j = 0; j < 4; j++) {
        assertEquals(g[n * 8 + j], g[n * 8 + 4 + j], 1e-12);
      }
    }
  }

  @Test
  void netGradientMatchesFiniteDifferences() {
    Net net = net();
    net.clearParamDiffs();
    net.forwardBackward();
    List<Blob> params = net.learnableParams();
    Blob x = net.blobByName("x");
    double step = 1e-4;
    java.util.List<Blob> checked = new java.util.ArrayList<>(params);
    checked.add(x);
    for (Blob b : checked) {
      double[] analytic = org.kaffee.testing.TestBlobs.diff(b);
      DataView d = b.dataView();
      for (int i = 0; i < b.count(); i++) {
        double v = d.get(i);
        d.set(i, v + step);
        double lp = net.forward();
        d.set(i, v - step);
        double lm = net.forward();
        d.set(i, v);
        double numeric = (lp - lm) / (2 * step);
        assertEquals(numeric, analytic[i], 1e-5 * Math.max(1, Math.abs(numeric)),
            "gradient of " + b + " element " + i);
      }
    }
  }

  @Test
  void batchNormStatisticsAreNotLearned() {
    NetParameter p = ProtoFiles.parseText("""
        layer { name: "in" type: "Input" top: "x" input_param { shape { dim: 4 dim: 2 } } }
        layer { name: "bn" type: "BatchNorm" bottom: "x" top: "y" phase: TRAIN }
        layer { name: "ip" type: "InnerProduct" bottom: "y" top: "z" inner_product_param { num_output: 1 } }
        layer { name: "loss" type: "Reduction" bottom: "z" top: "l" loss_weight: 1 }
        """, "net.prototxt", NetParameter.newBuilder()).build();
    Net net = new Net(p);
    assertEquals(List.of(0f, 0f, 0f, 1f, 1f), net.paramsLr());
    org.kaffee.core.Layer bn = net.layerByName("bn");
    for (int i = 0; i < 3; i++) {
      assertEquals(false, bn.paramPropagateDown(i));
    }
  }
}
