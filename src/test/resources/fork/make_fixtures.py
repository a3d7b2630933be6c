#!/usr/bin/python3
"""Records the forward pass of OpenCV's dnn (the oracle) on small nets of the fork layers.

Run from anywhere with Debian's python3-opencv (OpenCV 4.6), python3-numpy, python3-protobuf
and protobuf-compiler:  /usr/bin/python3 src/test/resources/fork/make_fixtures.py

For each case it writes, next to this script, <case>/net.prototxt, <case>/weights.caffemodel
for the nets with weights (layer names, types and seeded random blobs only: OpenCV takes the parameters from the
prototxt, and its own caffe.proto numbers some fork fields differently from the forks) and
<case>/blobs.binaryproto, a BlobProtoVector of the inputs then the outputs named, in that
order, by <case>/blobs.txt ("in <name>" / "out <name>" lines). ForkOracleTest runs the same
files through Kaffee. OpenCV does not parse the parameters of ShuffleChannel, Interp and
Upsample, does not know the type DepthwiseConvolution, and runs Axpy only for a batch of one
and as a * bottom[2] + bottom[1] (SENet's layer is a * bottom[1] + bottom[2]): those are checked against hand-computed values in their own tests.
"""
import os
import pathlib
import subprocess
import sys
import tempfile

import cv2
import numpy as np

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parents[3]


def caffe_pb2():
    """Kaffee's caffe.proto compiled for this Python (protoc must match python3-protobuf)."""
    out = tempfile.mkdtemp()
    subprocess.run(["protoc", "-I", str(ROOT / "proto"), "--python_out", out, "caffe.proto"], check=True)
    sys.path.insert(0, out)
    import caffe_pb2 as pb  # noqa: E402
    return pb


PB = caffe_pb2()
RNG = np.random.default_rng(1701)


def input_layers(shapes):
    text = ""
    for name, shape in shapes.items():
        dims = " ".join(f"dim: {d}" for d in shape)
        text += f'layer {{ name: "{name}" type: "Input" top: "{name}" input_param {{ shape {{ {dims} }} }} }}\n'
    return text


def blob(array):
    b = PB.BlobProto()
    b.shape.dim.extend(array.shape)
    b.data.extend(array.astype(np.float32).ravel().tolist())
    return b


def record(case, inputs, layers, weights, outputs):
    """inputs: name -> array; layers: prototxt text; weights: (layer, type) -> [arrays]."""
    folder = HERE / case
    folder.mkdir(exist_ok=True)
    prototxt = f'name: "{case}"\n' + input_layers({k: v.shape for k, v in inputs.items()}) + layers
    (folder / "net.prototxt").write_text(prototxt)
    model = PB.NetParameter(name=case)
    for (name, kind), arrays in weights.items():
        layer = model.layer.add(name=name, type=kind)
        for a in arrays:
            layer.blobs.append(blob(a))
    if weights:
        (folder / "weights.caffemodel").write_bytes(model.SerializeToString())
        net = cv2.dnn.readNetFromCaffe(str(folder / "net.prototxt"), str(folder / "weights.caffemodel"))
    else:
        net = cv2.dnn.readNetFromCaffe(str(folder / "net.prototxt"))
    net.setPreferableBackend(cv2.dnn.DNN_BACKEND_OPENCV)
    for name, value in inputs.items():
        net.setInput(value.astype(np.float32), name)
    results = net.forward(outputs)
    vector = PB.BlobProtoVector()
    lines = []
    for name, value in inputs.items():
        vector.blobs.append(blob(value))
        lines.append(f"in {name}")
    for name, value in zip(outputs, results):
        vector.blobs.append(blob(np.asarray(value)))
        lines.append(f"out {name}")
    (folder / "blobs.binaryproto").write_bytes(vector.SerializeToString())
    (folder / "blobs.txt").write_text("\n".join(lines) + "\n")
    print(case, [np.asarray(r).shape for r in results])


def gauss(*shape, std=1.0):
    return (RNG.standard_normal(shape) * std).astype(np.float32)


def relu6():
    x = gauss(2, 3, 4, 5, std=4)
    record("relu6", {"data": x}, 'layer { name: "r" type: "ReLU6" bottom: "data" top: "r" }\n', {}, ["r"])


def depthwise():
    x = gauss(2, 4, 7, 6)
    layers = ""
    weights = {}
    # OpenCV 4.6 registers ConvolutionDepthwise, not DepthwiseConvolution (the same layer in
    # Kaffee, checked equal in DepthwiseConvolutionLayerTest)
    for name, kind, extra in [("cdw", "ConvolutionDepthwise", "group: 4"),
                              ("bvlc", "Convolution", "group: 4")]:
        layers += (f'layer {{ name: "{name}" type: "{kind}" bottom: "data" top: "{name}" convolution_param {{ '
                   f'num_output: 4 kernel_size: 3 pad: 1 stride: 2 {extra} }} }}\n')
        weights[(name, kind)] = [gauss(4, 1, 3, 3, std=0.5), gauss(4, std=0.5)]
    record("depthwise", {"data": x}, layers, weights, ["cdw", "bvlc"])


def permute():
    record("permute", {"data": gauss(2, 3, 4, 5)},
           'layer { name: "p" type: "Permute" bottom: "data" top: "p" '
           'permute_param { order: 0 order: 2 order: 3 order: 1 } }\n', {}, ["p"])


def normalize():
    layers = ('layer { name: "pixel" type: "Normalize" bottom: "data" top: "pixel" '
              'norm_param { across_spatial: false channel_shared: false } }\n'
              'layer { name: "image" type: "Normalize" bottom: "data" top: "image" '
              'norm_param { across_spatial: true channel_shared: true } }\n')
    # SSD stores a shared scale as a 0-axis blob, which OpenCV cannot read: "image" keeps the
    # default scale 1 on both sides
    weights = {("pixel", "Normalize"): [(np.abs(gauss(3)) * 20).astype(np.float32)]}
    record("normalize", {"data": gauss(2, 3, 4, 5)}, layers, weights, ["pixel", "image"])


def prior_box():
    layers = ('layer { name: "p1" type: "PriorBox" bottom: "feature" bottom: "image" top: "p1" '
              'prior_box_param { min_size: 8 max_size: 20 aspect_ratio: 2 aspect_ratio: 3 flip: true '
              'clip: false variance: 0.1 variance: 0.1 variance: 0.2 variance: 0.2 } }\n'
              'layer { name: "p2" type: "PriorBox" bottom: "feature" bottom: "image" top: "p2" '
              'prior_box_param { min_size: 12 aspect_ratio: 2 flip: false clip: true variance: 0.1 '
              'step: 9 offset: 0.4 } }\n')
    record("priorbox", {"feature": gauss(1, 2, 3, 4), "image": gauss(1, 3, 30, 36)}, layers, {}, ["p1", "p2"])


def detection_output():
    priors_per_cell, cells, classes = 4, 12, 5
    count = priors_per_cell * cells
    centres = RNG.uniform(0.1, 0.9, (count, 2))
    sizes = RNG.uniform(0.1, 0.5, (count, 2))
    corners = np.concatenate([centres - sizes / 2, centres + sizes / 2], axis=1)
    variances = np.tile([0.1, 0.1, 0.2, 0.2], (count, 1))
    priors = np.stack([corners.ravel(), variances.ravel()]).reshape(1, 2, count * 4, 1).astype(np.float32)
    logits = gauss(2, count, classes, std=2)
    # 4-axis N x K x 1 x 1: OpenCV's setInput reads a 2-axis array as an image
    conf = (np.exp(logits) / np.exp(logits).sum(axis=2, keepdims=True)).reshape(2, count * classes, 1, 1)
    loc = gauss(2, count * 4, 1, 1, std=0.5)
    layers = ('layer { name: "det" type: "DetectionOutput" bottom: "loc" bottom: "conf" bottom: "priors" '
              'top: "det" detection_output_param { num_classes: 5 share_location: true '
              'background_label_id: 0 nms_param { nms_threshold: 0.45 top_k: 40 } code_type: CENTER_SIZE '
              'keep_top_k: 20 confidence_threshold: 0.05 } }\n')
    record("detection_output", {"loc": loc, "conf": conf.astype(np.float32), "priors": priors}, layers, {},
           ["det"])


def roi_pooling():
    rois = np.array([[0, 3, 5, 20, 17], [1, 0, 0, 31, 31], [0, 8.6, 2.2, 13.5, 30.4]],
                    dtype=np.float32).reshape(3, 5, 1, 1)
    layers = ('layer { name: "roi" type: "ROIPooling" bottom: "data" bottom: "rois" top: "roi" '
              'roi_pooling_param { pooled_h: 3 pooled_w: 4 spatial_scale: 0.25 } }\n')
    record("roi_pooling", {"data": gauss(2, 3, 8, 8), "rois": rois}, layers, {}, ["roi"])


if __name__ == "__main__":
    for make in [relu6, depthwise, permute, normalize, prior_box, detection_output, roi_pooling]:
        make()
