#!/usr/bin/env python3
"""MobileNet-SSD at 300 x 300 in chuanqi305's deploy layout (MobileNetSSD_deploy.prototxt: the
batch-norm-merged MobileNet v1 body, extra layers conv14-conv17, heads on conv11, conv13 and
conv14_2-conv17_2, 21 VOC classes, 1917 priors), written from scratch here.

  python3 generate.py                      writes mobilenet_ssd_deploy.prototxt beside this file
  python3 generate.py --weights OUT.caffemodel [--seed 1]
                                           writes seeded random weights instead (He-scaled Gaussian
                                           kernels, small biases); needs Debian's protobuf-compiler
                                           and python3-protobuf (Kaffee's proto/caffe.proto is
                                           compiled on the fly)
"""
import argparse
import pathlib
import subprocess
import sys
import tempfile

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parents[1]
CLASSES = 21

# the MobileNet v1 body: (name, input channels, output channels, depthwise stride)
BODY = [("conv1", 32, 64, 1), ("conv2", 64, 128, 2), ("conv3", 128, 128, 1), ("conv4", 128, 256, 2),
        ("conv5", 256, 256, 1), ("conv6", 256, 512, 2)] + \
       [(f"conv{i}", 512, 512, 1) for i in range(7, 12)] + [("conv12", 512, 1024, 2), ("conv13", 1024, 1024, 1)]
# SSD's extra layers: (name, input channels, 1x1 channels, 3x3 stride-2 channels)
EXTRA = [("conv14", 1024, 256, 512), ("conv15", 512, 128, 256), ("conv16", 256, 128, 256), ("conv17", 256, 64, 128)]
# heads: (feature, channels, priors per cell, prior_box_param)
HEADS = [("conv11", 512, 3, "min_size: 60.0 aspect_ratio: 2.0"),
         ("conv13", 1024, 6, "min_size: 105.0 max_size: 150.0 aspect_ratio: 2.0 aspect_ratio: 3.0"),
         ("conv14_2", 512, 6, "min_size: 150.0 max_size: 195.0 aspect_ratio: 2.0 aspect_ratio: 3.0"),
         ("conv15_2", 256, 6, "min_size: 195.0 max_size: 240.0 aspect_ratio: 2.0 aspect_ratio: 3.0"),
         ("conv16_2", 256, 6, "min_size: 240.0 max_size: 285.0 aspect_ratio: 2.0 aspect_ratio: 3.0"),
         ("conv17_2", 128, 6, "min_size: 285.0 max_size: 300.0 aspect_ratio: 2.0 aspect_ratio: 3.0")]


class Net:
    def __init__(self):
        self.lines = ['name: "MobileNet-SSD"',
                      'layer { name: "data" type: "Input" top: "data" '
                      'input_param { shape { dim: 1 dim: 3 dim: 300 dim: 300 } } }']
        self.kernels = {}  # layer name -> weight shape (OIHW)

    def add(self, text):
        self.lines.append(text)

    def conv(self, name, bottom, cin, cout, kernel, stride=1, group=1, relu=True):
        pad = kernel // 2
        extra = f" group: {group}" if group > 1 else ""
        self.add(f'layer {{ name: "{name}" type: "Convolution" bottom: "{bottom}" top: "{name}" '
                 f'convolution_param {{ num_output: {cout} kernel_size: {kernel} pad: {pad} stride: {stride}{extra} }} }}')
        if relu:
            self.add(f'layer {{ name: "{name}/relu" type: "ReLU" bottom: "{name}" top: "{name}" }}')
        self.kernels[name] = (cout, cin // group, kernel, kernel)
        return name


def build():
    net = Net()
    x = net.conv("conv0", "data", 3, 32, 3, stride=2)
    for name, cin, cout, stride in BODY:
        x = net.conv(f"{name}/dw", x, cin, cin, 3, stride=stride, group=cin)
        x = net.conv(name, x, cin, cout, 1)
    for name, cin, mid, cout in EXTRA:
        x = net.conv(f"{name}_1", x, cin, mid, 1)
        x = net.conv(f"{name}_2", x, mid, cout, 3, stride=2)
    locs, confs, priors = [], [], []
    for feature, channels, boxes, prior in HEADS:
        for what, per_box, out in [("loc", 4, locs), ("conf", CLASSES, confs)]:
            head = net.conv(f"{feature}_mbox_{what}", feature, channels, boxes * per_box, 1, relu=False)
            net.add(f'layer {{ name: "{head}_perm" type: "Permute" bottom: "{head}" top: "{head}_perm" '
                    'permute_param { order: 0 order: 2 order: 3 order: 1 } }')
            net.add(f'layer {{ name: "{head}_flat" type: "Flatten" bottom: "{head}_perm" top: "{head}_flat" '
                    'flatten_param { axis: 1 } }')
            out.append(f"{head}_flat")
        net.add(f'layer {{ name: "{feature}_mbox_priorbox" type: "PriorBox" bottom: "{feature}" bottom: "data" '
                f'top: "{feature}_mbox_priorbox" prior_box_param {{ {prior} flip: true clip: false '
                'variance: 0.1 variance: 0.1 variance: 0.2 variance: 0.2 offset: 0.5 } }')
        priors.append(f"{feature}_mbox_priorbox")
    for name, parts, axis in [("mbox_loc", locs, 1), ("mbox_conf", confs, 1), ("mbox_priorbox", priors, 2)]:
        bottoms = " ".join(f'bottom: "{p}"' for p in parts)
        net.add(f'layer {{ name: "{name}" type: "Concat" {bottoms} top: "{name}" concat_param {{ axis: {axis} }} }}')
    net.add(f'layer {{ name: "mbox_conf_reshape" type: "Reshape" bottom: "mbox_conf" top: "mbox_conf_reshape" '
            f'reshape_param {{ shape {{ dim: 0 dim: -1 dim: {CLASSES} }} }} }}')
    net.add('layer { name: "mbox_conf_softmax" type: "Softmax" bottom: "mbox_conf_reshape" '
            'top: "mbox_conf_softmax" softmax_param { axis: 2 } }')
    net.add('layer { name: "mbox_conf_flatten" type: "Flatten" bottom: "mbox_conf_softmax" '
            'top: "mbox_conf_flatten" flatten_param { axis: 1 } }')
    net.add('layer { name: "detection_out" type: "DetectionOutput" bottom: "mbox_loc" bottom: "mbox_conf_flatten" '
            'bottom: "mbox_priorbox" top: "detection_out" include { phase: TEST } detection_output_param { '
            f'num_classes: {CLASSES} share_location: true background_label_id: 0 '
            'nms_param { nms_threshold: 0.45 top_k: 100 } code_type: CENTER_SIZE keep_top_k: 100 '
            'confidence_threshold: 0.25 } }')
    return net


def write_weights(net, path, seed):
    import numpy as np
    out = tempfile.mkdtemp()
    subprocess.run(["protoc", "-I", str(ROOT / "proto"), "--python_out", out, "caffe.proto"], check=True)
    sys.path.insert(0, out)
    import caffe_pb2
    rng = np.random.default_rng(seed)
    model = caffe_pb2.NetParameter(name="MobileNet-SSD")
    for name, shape in net.kernels.items():
        layer = model.layer.add(name=name, type="Convolution")
        fan_in = shape[1] * shape[2] * shape[3]
        for values in [rng.standard_normal(shape) * np.sqrt(2.0 / fan_in), rng.standard_normal(shape[0]) * 0.1]:
            blob = layer.blobs.add()
            blob.shape.dim.extend(values.shape)
            blob.data.extend(values.astype(np.float32).ravel().tolist())
    pathlib.Path(path).write_bytes(model.SerializeToString())


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--weights", help="also write seeded random weights to this caffemodel")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    net = build()
    if args.weights:
        write_weights(net, args.weights, args.seed)
    else:
        (HERE / "mobilenet_ssd_deploy.prototxt").write_text(
            "# Generated by generate.py in this directory.\n" + "\n".join(net.lines) + "\n")


if __name__ == "__main__":
    main()
