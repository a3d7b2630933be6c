#!/usr/bin/python3
"""Records the forward pass of OpenCV's dnn (the oracle) on small nets of the fork layers.

Run from anywhere with Debian's python3-opencv (OpenCV 4.6), python3-numpy, python3-protobuf
and protobuf-compiler:  /usr/bin/python3 engine/src/test/resources/fork/make_fixtures.py

For each case it writes, next to this script, <case>/net.prototxt, <case>/weights.caffemodel
for the nets with weights (layer names, types and seeded random blobs only: OpenCV takes the parameters from the
prototxt, and its own caffe.proto numbers some fork fields differently from the forks) and
<case>/blobs.binaryproto, a BlobProtoVector of the inputs then the outputs named, in that
order, by <case>/blobs.txt ("in <name>" / "out <name>" lines); the SSD300 case, too large
otherwise, writes those two gzipped (with .gz after the name). ForkOracleTest runs the same
files through Kaffee. OpenCV does not parse the parameters of ShuffleChannel, Interp and
Upsample, does not know the type DepthwiseConvolution, and runs Axpy only for a batch of one
and as a * bottom[2] + bottom[1] (SENet's layer is a * bottom[1] + bottom[2]): those are checked against hand-computed values in their own tests.
"""
import gzip
import pathlib
import subprocess
import sys
import tempfile

import cv2
import numpy as np

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parents[4]


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


def write_net(folder, case, inputs, layers, weights, suffix):
    """Writes the net (and its weights, when it has any) and returns OpenCV's copy of it."""
    prototxt = f'name: "{case}"\n' + input_layers({k: v.shape for k, v in inputs.items()}) + layers
    (folder / "net.prototxt").write_text(prototxt)
    model = PB.NetParameter(name=case)
    for (name, kind), arrays in weights.items():
        layer = model.layer.add(name=name, type=kind)
        for a in arrays:
            layer.blobs.append(blob(a))
    if not weights:
        net = cv2.dnn.readNetFromCaffe(str(folder / "net.prototxt"))
    else:
        data = model.SerializeToString()
        (folder / ("weights.caffemodel" + suffix)).write_bytes(gzip.compress(data, mtime=0) if suffix else data)
        net = cv2.dnn.readNetFromCaffe(np.frombuffer(prototxt.encode(), np.uint8), np.frombuffer(data, np.uint8))
    net.setPreferableBackend(cv2.dnn.DNN_BACKEND_OPENCV)
    for name, value in inputs.items():
        net.setInput(value.astype(np.float32), name)
    return net


def record(case, inputs, layers, weights, outputs, compress=False):
    """inputs: name -> array; layers: prototxt text; weights: (layer, type) -> [arrays];
    compress: the blobs and weights written gzipped (with .gz after their names)."""
    folder = HERE / case
    folder.mkdir(exist_ok=True)
    suffix = ".gz" if compress else ""
    results = write_net(folder, case, inputs, layers, weights, suffix).forward(outputs)
    vector = PB.BlobProtoVector()
    lines = []
    for name, value in inputs.items():
        vector.blobs.append(blob(value))
        lines.append(f"in {name}")
    for name, value in zip(outputs, results):
        vector.blobs.append(blob(np.asarray(value)))
        lines.append(f"out {name}")
    data = vector.SerializeToString()
    (folder / ("blobs.binaryproto" + suffix)).write_bytes(gzip.compress(data, mtime=0) if compress else data)
    (folder / "blobs.txt").write_text("\n".join(lines) + "\n")
    print(case, [np.asarray(r).shape for r in results])
    return dict(zip(outputs, results))


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


def conv(name, bottom, outputs, kernel, stride=1, pad=0, group=1, kind="Convolution", relu=True, dilation=1):
    """A convolution (and ReLU) as the SSD nets write them; returns its text."""
    dilated = f"dilation: {dilation} " if dilation != 1 else ""
    text = (f'layer {{ name: "{name}" type: "{kind}" bottom: "{bottom}" top: "{name}" convolution_param {{ '
            f'num_output: {outputs} kernel_size: {kernel} stride: {stride} pad: {pad} group: {group} {dilated}}} }}\n')
    if relu:
        text += f'layer {{ name: "{name}/relu" type: "ReLU" bottom: "{name}" top: "{name}" }}\n'
    return text


def ssd_heads(heads, classes, kernel, detection):
    """SSD's multibox heads: per (feature, channels, prior_box_param text, boxes per cell) a location
    and a confidence convolution with Permute and Flatten, a PriorBox on the feature and "data";
    the Concats, the softmax over classes and DetectionOutput (its parameters after num_classes).
    Returns the text and the head convolutions' weight shapes."""
    text, shapes = "", {}
    locs, confs, priors = [], [], []
    for feature, channels, prior, boxes in heads:
        for what, per_box in [("loc", 4), ("conf", classes)]:
            name = f"{feature}_mbox_{what}"
            text += conv(name, feature, boxes * per_box, kernel, pad=kernel // 2, relu=False)
            shapes[name] = ((boxes * per_box, channels, kernel, kernel), "Convolution")
            text += (f'layer {{ name: "{name}_perm" type: "Permute" bottom: "{name}" top: "{name}_perm" '
                     f'permute_param {{ order: 0 order: 2 order: 3 order: 1 }} }}\n'
                     f'layer {{ name: "{name}_flat" type: "Flatten" bottom: "{name}_perm" top: "{name}_flat" '
                     f'flatten_param {{ axis: 1 }} }}\n')
            (locs if what == "loc" else confs).append(f"{name}_flat")
        text += (f'layer {{ name: "{feature}_mbox_priorbox" type: "PriorBox" bottom: "{feature}" bottom: "data" '
                 f'top: "{feature}_mbox_priorbox" prior_box_param {{ {prior} clip: false variance: 0.1 '
                 f'variance: 0.1 variance: 0.2 variance: 0.2 offset: 0.5 }} }}\n')
        priors.append(f"{feature}_mbox_priorbox")
    for name, parts, axis in [("mbox_loc", locs, 1), ("mbox_conf", confs, 1), ("mbox_priorbox", priors, 2)]:
        bottoms = " ".join(f'bottom: "{p}"' for p in parts)
        text += f'layer {{ name: "{name}" type: "Concat" {bottoms} top: "{name}" concat_param {{ axis: {axis} }} }}\n'
    text += (f'layer {{ name: "mbox_conf_reshape" type: "Reshape" bottom: "mbox_conf" top: "mbox_conf_reshape" '
             f'reshape_param {{ shape {{ dim: 0 dim: -1 dim: {classes} }} }} }}\n'
             'layer { name: "mbox_conf_softmax" type: "Softmax" bottom: "mbox_conf_reshape" '
             'top: "mbox_conf_softmax" softmax_param { axis: 2 } }\n'
             'layer { name: "mbox_conf_flatten" type: "Flatten" bottom: "mbox_conf_softmax" '
             'top: "mbox_conf_flatten" flatten_param { axis: 1 } }\n'
             'layer { name: "detection_out" type: "DetectionOutput" bottom: "mbox_loc" '
             'bottom: "mbox_conf_flatten" bottom: "mbox_priorbox" top: "detection_out" '
             f'detection_output_param {{ num_classes: {classes} {detection} }} }}\n')
    return text, shapes


def he_weights(shapes, steps=0):
    """Seeded weights and biases for each (shape, type), scaled for ReLU nets; with steps, rounded
    to that many steps per standard deviation (few distinct values, which gzip shrinks)."""
    weights = {}
    for name, (shape, kind) in shapes.items():
        std = np.sqrt(2.0 / (shape[1] * shape[2] * shape[3]))
        values = gauss(*shape, std=std)
        if steps:
            values = (np.round(values / std * steps) * std / steps).astype(np.float32)
        weights[(name, kind)] = [values, gauss(shape[0], std=0.1)]
    return weights


def mobilenet_ssd():
    """A narrow MobileNet-SSD (chuanqi305's layout: depthwise / pointwise blocks, heads on three
    feature maps with PriorBox, Permute, Flatten, Concat, Softmax, DetectionOutput) at 64 x 64,
    with a Normalize and a ReLU6 as SSD's VGG and MobileNetV2 heads use them."""
    classes = 4
    text = conv("conv0", "data", 8, 3, 2, 1)
    shapes = {"conv0": ((8, 3, 3, 3), "Convolution")}
    blocks = [("conv1", 8, 16, 1), ("conv2", 16, 16, 2), ("conv3", 16, 24, 2), ("conv4", 24, 24, 2),
              ("conv5", 24, 32, 2)]
    bottom = "conv0"
    for i, (name, cin, cout, stride) in enumerate(blocks):
        kind = "ConvolutionDepthwise" if i % 2 else "Convolution"
        text += conv(f"{name}/dw", bottom, cin, 3, stride, 1, cin, kind)
        shapes[f"{name}/dw"] = ((cin, 1, 3, 3), kind)
        text += conv(name, f"{name}/dw", cout, 1)
        shapes[name] = ((cout, cin, 1, 1), "Convolution")
        bottom = name
    text += ('layer { name: "conv3_norm" type: "Normalize" bottom: "conv3" top: "conv3_norm" '
             'norm_param { across_spatial: false channel_shared: false } }\n'
             'layer { name: "conv4_6" type: "ReLU6" bottom: "conv4" top: "conv4_6" }\n')
    heads = [("conv3_norm", 24, "min_size: 12 aspect_ratio: 2 flip: true", 3),
             ("conv4_6", 24, "min_size: 24 max_size: 40 aspect_ratio: 2 aspect_ratio: 3 flip: true", 6),
             ("conv5", 32, "min_size: 40 max_size: 60 aspect_ratio: 2 flip: true", 4)]
    head_text, head_shapes = ssd_heads(heads, classes, 1, 'share_location: true background_label_id: 0 '
                                       'nms_param { nms_threshold: 0.45 top_k: 100 } code_type: CENTER_SIZE '
                                       'keep_top_k: 30 confidence_threshold: 0.3')
    weights = he_weights({**shapes, **head_shapes})
    weights[("conv3_norm", "Normalize")] = [(np.abs(gauss(24)) * 10 + 5).astype(np.float32)]
    image = RNG.uniform(-1, 1, (2, 3, 64, 64)).astype(np.float32)
    record("mobilenet_ssd", {"data": image}, text + head_text, weights,
           ["mbox_loc", "mbox_conf_flatten", "mbox_priorbox", "detection_out"])


def pool(name, bottom, kernel, stride, pad=0):
    """A max pooling as SSD's VGG writes them; returns its text."""
    return (f'layer {{ name: "{name}" type: "Pooling" bottom: "{bottom}" top: "{name}" pooling_param {{ '
            f'pool: MAX kernel_size: {kernel} stride: {stride} pad: {pad} }} }}\n')


def narrow(channels):
    return max(4, channels // 8)


def vgg16_ssd_body():
    """VGG16 to conv5_3 with its pools (pool5 3 x 3 s1), fc6 dilated by 6, fc7, conv6..conv9 and
    conv4_3_norm, 8 times narrower; returns the text and the convolutions' weight shapes."""
    text, shapes, bottom, cin = "", {}, "data", 3
    for block, width, count in [(1, 64, 2), (2, 128, 2), (3, 256, 3), (4, 512, 3), (5, 512, 3)]:
        for i in range(1, count + 1):
            name = f"conv{block}_{i}"
            text += conv(name, bottom, narrow(width), 3, pad=1)
            shapes[name] = ((narrow(width), cin, 3, 3), "Convolution")
            bottom, cin = name, narrow(width)
        text += pool(f"pool{block}", bottom, 3, 1, 1) if block == 5 else pool(f"pool{block}", bottom, 2, 2)
        bottom = f"pool{block}"
    # (name, outputs, kernel, stride, pad, dilation)
    extra = [("fc6", 1024, 3, 1, 6, 6), ("fc7", 1024, 1, 1, 0, 1),
             ("conv6_1", 256, 1, 1, 0, 1), ("conv6_2", 512, 3, 2, 1, 1),
             ("conv7_1", 128, 1, 1, 0, 1), ("conv7_2", 256, 3, 2, 1, 1),
             ("conv8_1", 128, 1, 1, 0, 1), ("conv8_2", 256, 3, 1, 0, 1),
             ("conv9_1", 128, 1, 1, 0, 1), ("conv9_2", 256, 3, 1, 0, 1)]
    for name, width, kernel, stride, pad, dilation in extra:
        text += conv(name, bottom, narrow(width), kernel, stride, pad, dilation=dilation)
        shapes[name] = ((narrow(width), cin, kernel, kernel), "Convolution")
        bottom, cin = name, narrow(width)
    text += ('layer { name: "conv4_3_norm" type: "Normalize" bottom: "conv4_3" top: "conv4_3_norm" '
             'norm_param { across_spatial: false channel_shared: false scale_filler { type: "constant" '
             'value: 20 } } }\n')
    return text, shapes


def ssd300():
    """SSD300-VGG16 as weiliu89's ssd_pascal.py writes its deploy net (six heads, 8732 priors,
    VOC's 21 classes), every convolution 8 times narrower so that the weights stay small."""
    text, shapes = vgg16_ssd_body()
    sizes = [30, 60, 111, 162, 213, 264, 315]
    features = [("conv4_3_norm", 512, [2], 8), ("fc7", 1024, [2, 3], 16), ("conv6_2", 512, [2, 3], 32),
                ("conv7_2", 256, [2, 3], 64), ("conv8_2", 256, [2], 100), ("conv9_2", 256, [2], 300)]
    heads = []
    for i, (feature, width, ratios, step) in enumerate(features):
        prior = (f"min_size: {sizes[i]} max_size: {sizes[i + 1]} "
                 + "".join(f"aspect_ratio: {r} " for r in ratios) + f"flip: true step: {step}")
        heads.append((feature, narrow(width), prior, 2 + 2 * len(ratios)))
    head_text, head_shapes = ssd_heads(heads, 21, 3, 'share_location: true background_label_id: 0 '
                                       'nms_param { nms_threshold: 0.45 top_k: 400 } code_type: CENTER_SIZE '
                                       'keep_top_k: 200 confidence_threshold: 0.01')
    text += head_text
    weights = he_weights({**shapes, **head_shapes}, steps=4)
    weights[("conv4_3_norm", "Normalize")] = [np.full(narrow(512), 20, np.float32)]
    inputs = {"data": noisy_image(300) - np.array([104, 117, 123], np.float32).reshape(1, 3, 1, 1)}
    folder = HERE / "ssd300"
    folder.mkdir(exist_ok=True)
    responses = write_net(folder, "ssd300", inputs, text, weights, ".gz").forward(list(head_shapes))
    for name, response in zip(head_shapes, responses):
        weights[(name, "Convolution")] = scaled_head(name, weights[(name, "Convolution")], np.asarray(response), 21)
    blobs = record("ssd300", inputs, text, weights,
                   ["conv4_3_norm", "mbox_loc", "mbox_conf_flatten", "mbox_priorbox", "detection_out"],
                   compress=True)
    check_ordering(blobs, 21, 400, 0.45)


def scaled_head(name, blobs, output, classes):
    """A random head gives offsets of tens of variances and one-hot scores: its kernel is scaled
    so that the offsets spread by about 1 and the logits by 2 around each channel's bias, and the
    background's logit is raised, as in a trained net, so that several hundred boxes per class
    pass the threshold, not thousands packed so close that rounding would order them."""
    kernel, bias = blobs
    response = output - bias.reshape(1, -1, 1, 1)
    # each channel's mean (on maps of more than one cell) moves into the bias
    offset = response.mean(axis=(0, 2, 3)) if response[0, 0].size > 1 else np.zeros(len(bias))
    factor = np.float32((1.0 if name.endswith("_loc") else 2.0) / (response - offset.reshape(1, -1, 1, 1)).std())
    bias = (bias - factor * offset).astype(np.float32)
    if name.endswith("_conf"):
        bias.reshape(-1, classes)[:, 0] += BACKGROUND_LOGIT
    return [kernel * factor, bias]


def check_ordering(blobs, classes, top_k, nms_threshold):
    """Fails unless NMS's outcome is clear at float precision: within each class's top_k boxes,
    two that overlap by nearly the threshold or more must differ in score by 1e-5 relative."""
    priors = np.asarray(blobs["mbox_priorbox"]).reshape(2, -1, 4)
    loc = np.asarray(blobs["mbox_loc"]).reshape(-1, 4)
    size = priors[0, :, 2:] - priors[0, :, :2]
    centre = (priors[0, :, 2:] + priors[0, :, :2]) / 2 + priors[1, :, :2] * loc[:, :2] * size
    half = np.exp(priors[1, :, 2:] * loc[:, 2:]) * size / 2
    boxes = np.concatenate([centre - half, centre + half], axis=1)
    scores = np.asarray(blobs["mbox_conf_flatten"]).reshape(-1, classes)
    closest = np.inf
    for c in range(1, classes):
        best = np.argsort(-scores[:, c])[:top_k]
        best = best[scores[best, c] > 0.01]
        b, s = boxes[best], scores[best, c]
        low = np.maximum(b[:, None, :2], b[None, :, :2])
        high = np.minimum(b[:, None, 2:], b[None, :, 2:])
        inter = np.prod(np.clip(high - low, 0, None), axis=2)
        area = np.prod(b[:, 2:] - b[:, :2], axis=1)
        iou = inter / (area[:, None] + area[None, :] - inter)
        gap = np.abs(s[:, None] - s[None, :]) / np.maximum(s[:, None], s[None, :])
        np.fill_diagonal(gap, np.inf)
        closest = min(closest, gap[iou > nms_threshold - 0.05].min(initial=np.inf))
    print(f"ssd300: closest relative score gap between overlapping boxes {closest:.2e}")
    assert closest > 1e-5, "boxes whose order rounding could change: change the seed or the scales"


BACKGROUND_LOGIT = 8.0


def noisy_image(size):
    """A 1 x 3 x size x size BGR image of whole pixel values: coloured rectangles on a gradient,
    with noise, so that no two cells see the same pixels (equal neighbours give equal scores,
    whose order after rounding would decide NMS)."""
    y, x = np.mgrid[0:size, 0:size] / size
    image = np.stack([255 * x, 255 * y, 128 + 64 * np.sin(6 * x * y)])
    for _ in range(6):
        x0, y0 = RNG.integers(0, size - 40, 2)
        w, h = RNG.integers(30, size // 2, 2)
        image[:, y0:y0 + h, x0:x0 + w] = RNG.integers(0, 256, (3, 1, 1))
    image += RNG.integers(-24, 25, image.shape)
    return np.clip(np.floor(image), 0, 255).astype(np.float32)[None]


if __name__ == "__main__":
    for make in [relu6, depthwise, permute, normalize, prior_box, detection_output, roi_pooling, mobilenet_ssd, ssd300]:
        make()
