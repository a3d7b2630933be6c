"""caffe.Detector: a deploy net that scores windows of images (R-CNN style)."""
import numpy as np

from . import io
from ._net import Net
from .proto.caffe_pb2 import TEST


class Detector(Net):
    """Detector(model_file, pretrained_file, mean=None, input_scale=None, raw_scale=None,
    channel_swap=None, context_pad=None): each window is cropped (with context_pad pixels of
    context, warped as R-CNN does), preprocessed by a caffe.io.Transformer and scored."""

    def __init__(self, model_file, pretrained_file, mean=None, input_scale=None, raw_scale=None,
                 channel_swap=None, context_pad=None):
        Net.__init__(self, model_file, pretrained_file, TEST)
        name = self.inputs[0]
        self.transformer = io.Transformer({name: self.blobs[name].shape})
        self.transformer.set_transpose(name, (2, 0, 1))
        if mean is not None:
            self.transformer.set_mean(name, mean)
        if input_scale is not None:
            self.transformer.set_input_scale(name, input_scale)
        if raw_scale is not None:
            self.transformer.set_raw_scale(name, raw_scale)
        if channel_swap is not None:
            self.transformer.set_channel_swap(name, channel_swap)
        self.configure_crop(context_pad)

    def detect_windows(self, images_windows):
        """[(image filename, [window (ymin, xmin, ymax, xmax), ...]), ...] -> one dict per
        window: {'window', 'prediction', 'filename'}."""
        name = self.inputs[0]
        crops, where = [], []
        for filename, windows in images_windows:
            image = io.load_image(filename).astype(np.float32)
            for window in windows:
                crops.append(self.crop(image, window))
                where.append((filename, window))
        batch = np.asarray([self.transformer.preprocess(name, c) for c in crops], dtype=np.float32)
        scores = self.forward_all(**{name: batch})[self.outputs[0]]
        return [{'window': window, 'prediction': scores[i].ravel(), 'filename': filename}
                for i, (filename, window) in enumerate(where)]

    def crop(self, im, window):
        """The window (ymin, xmin, ymax, xmax) of im warped to the input size, with
        context_pad pixels of context around it (the mean where it falls outside the image)."""
        box = np.array(window, dtype=float)
        if not self.context_pad:
            region = im[int(box[0]):int(box[2]), int(box[1]):int(box[3])]
            return io.resize_image(region, self.crop_dims)
        pad = self.context_pad
        size = self.crop_dims[0]
        scale = size / (size - 2.0 * pad)
        half = (box[2:] - box[:2]) / 2.0
        center = box[:2] + half
        box = np.round(np.concatenate([center - half * scale, center + half * scale]))
        full_h, full_w = box[2] - box[0] + 1, box[3] - box[1] + 1
        inside = np.clip(box, [0, 0, 0, 0], [im.shape[0] - 1, im.shape[1] - 1] * 2).astype(int)
        region = im[inside[0]:inside[2] + 1, inside[1]:inside[3] + 1]
        out_h = int(round(region.shape[0] * size / full_h))
        out_w = int(round(region.shape[1] * size / full_w))
        top = int(round((inside[0] - box[0]) * size / full_h))
        left = int(round((inside[1] - box[1]) * size / full_w))
        out = np.tile(self.crop_mean, (int(size), int(self.crop_dims[1]), 1)).astype(np.float32)
        out[top:top + out_h, left:left + out_w] = io.resize_image(region, (out_h, out_w))
        return out

    def configure_crop(self, context_pad):
        """Context padding, and the mean in image order (for filling outside the image)."""
        name = self.inputs[0]
        shape = self.blobs[name].shape
        self.crop_dims = np.array(shape[2:])
        self.context_pad = context_pad
        if not context_pad:
            return
        order = self.transformer.transpose.get(name, (0, 1, 2))
        mean = self.transformer.mean.get(name)
        if mean is None:
            self.crop_mean = np.zeros(shape[1], dtype=np.float32)
            return
        mean = np.broadcast_to(mean, shape[1:]).transpose(np.argsort(order))
        swap = self.transformer.channel_swap.get(name)
        if swap is not None:
            mean = mean[:, :, np.argsort(swap)]
        raw = self.transformer.raw_scale.get(name, 1.0)
        self.crop_mean = mean.mean(0).mean(0) / raw
