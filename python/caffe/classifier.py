"""caffe.Classifier: a deploy net that classifies images (H x W x K, as caffe.io.load_image gives)."""
import numpy as np

from . import io
from ._net import Net
from .proto.caffe_pb2 import TEST


def input_transformer(net, mean=None, input_scale=None, raw_scale=None, channel_swap=None):
    """A caffe.io.Transformer from H x W x K images to the net's first input, set up as
    Classifier and Detector take their preprocessing arguments."""
    name = net.inputs[0]
    transformer = io.Transformer({name: net.blobs[name].shape})
    transformer.set_transpose(name, (2, 0, 1))
    if mean is not None:
        transformer.set_mean(name, mean)
    if input_scale is not None:
        transformer.set_input_scale(name, input_scale)
    if raw_scale is not None:
        transformer.set_raw_scale(name, raw_scale)
    if channel_swap is not None:
        transformer.set_channel_swap(name, channel_swap)
    return transformer


class Classifier(Net):
    """Classifier(model_file, pretrained_file, image_dims=None, mean=None, input_scale=None,
    raw_scale=None, channel_swap=None): images are resized to image_dims (default: the input's
    size), cropped to the input's size (10 crops averaged with oversample) and preprocessed by
    a caffe.io.Transformer set up from the other arguments."""

    def __init__(self, model_file, pretrained_file, image_dims=None, mean=None,
                 input_scale=None, raw_scale=None, channel_swap=None):
        Net.__init__(self, model_file, pretrained_file, TEST)
        self.transformer = input_transformer(self, mean, input_scale, raw_scale, channel_swap)
        self.crop_dims = np.array(self.blobs[self.inputs[0]].shape[2:])
        self.image_dims = self.crop_dims if not image_dims else image_dims

    def predict(self, inputs, oversample=True):
        """Class scores (N x classes) of a list of images: the mean over 10 crops with
        oversample, else of the center crop."""
        channels = inputs[0].shape[2]
        resized = np.zeros((len(inputs), self.image_dims[0], self.image_dims[1], channels), dtype=np.float32)
        for i, image in enumerate(inputs):
            resized[i] = io.resize_image(image, self.image_dims)
        if oversample:
            crops = io.oversample(resized, self.crop_dims)
        else:
            offset = ((np.array(self.image_dims) - self.crop_dims) / 2.0).astype(int)
            crops = resized[:, offset[0]:offset[0] + self.crop_dims[0], offset[1]:offset[1] + self.crop_dims[1], :]
        name = self.inputs[0]
        batch = np.asarray([self.transformer.preprocess(name, crop) for crop in crops], dtype=np.float32)
        scores = self.forward_all(**{name: batch})[self.outputs[0]]
        if oversample:
            scores = scores.reshape((len(scores) // 10, 10, -1)).mean(1)
        return scores
