package org.kaffee.layers.vision;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.kaffee.core.Net;
import org.kaffee.core.Rng;
import org.kaffee.io.ProtoFiles;
import org.kaffee.proto.Caffe.NetParameter;

class VisionNetTest {
  @Test
  void lenetStyleStackRunsThroughTheNetInFloat() {
    Rng.seed(1);
    NetParameter p = ProtoFiles.parseText("""
        force_backward: true
        layer { name: "in" type: "Input" top: "x" input_param { shape { dim: 2 dim: 1 dim: 12 dim: 12 } } }
        layer { name: "conv1" type: "Convolution" bottom: "x" top: "c1"
          convolution_param { num_output: 4 kernel_size: 5 weight_filler { type: "xavier" } } }
        layer { name: "pool1" type: "Pooling" bottom: "c1" top: "p1" pooling_param { pool: MAX kernel_size: 2 stride: 2 } }
        layer { name: "norm1" type: "LRN" bottom: "p1" top: "n1" lrn_param { local_size: 3 } }
        layer { name: "conv2" type: "Convolution" bottom: "n1" top: "c2"
          convolution_param { num_output: 4 kernel_size: 3 group: 2 pad: 1 weight_filler { type: "xavier" } } }
        """, "net.prototxt", NetParameter.newBuilder()).build();
    Net net = new Net(p);
    net.blobByName("x").data().assign(0.5);
    net.forward();
    assertArrayEquals(new int[] {2, 4, 4, 4}, net.blobByName("c2").shape());
    net.blobByName("c2").diff().assign(1);
    net.backward();
    assertTrue(net.layerByName("conv1").blobs().get(0).asumDiff() > 0);
    assertTrue(net.layerByName("conv2").blobs().get(1).asumDiff() > 0);
  }
}
