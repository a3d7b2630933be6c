"""Python layers the package's tests run (imported by the engine from sys.path, as Caffe does)."""
import numpy as np

import caffe


class ScaledSquare(caffe.Layer):
    """top = scale * bottom ** 2 (scale from param_str), with a learned offset blob added."""

    def setup(self, bottom, top):
        self.scale = float(self.param_str)
        self.blobs.add_blob(1)
        self.blobs[0].data[...] = 0.25

    def reshape(self, bottom, top):
        top[0].reshape(*bottom[0].data.shape)

    def forward(self, bottom, top):
        top[0].data[...] = self.scale * bottom[0].data ** 2 + self.blobs[0].data[0]

    def backward(self, top, propagate_down, bottom):
        self.blobs[0].diff[0] += top[0].diff.sum()
        if propagate_down[0]:
            bottom[0].diff[...] = 2 * self.scale * bottom[0].data * top[0].diff


class FailsInForward(caffe.Layer):
    def reshape(self, bottom, top):
        top[0].reshape(*bottom[0].data.shape)

    def forward(self, bottom, top):
        raise ValueError('bad value %d' % 42)


class FailsInSetup(caffe.Layer):
    def setup(self, bottom, top):
        raise KeyError('missing')


class PhaseAndParam(caffe.Layer):
    """Writes its phase and the float in param_str to its two tops."""

    def reshape(self, bottom, top):
        top[0].reshape(1)
        top[1].reshape(1)

    def forward(self, bottom, top):
        top[0].data[0] = self.phase
        top[1].data[0] = float(self.param_str)


class Echo(caffe.Layer):
    """top = bottom; counts its forward calls (for the bench's cost of one call)."""
    calls = 0

    def reshape(self, bottom, top):
        top[0].reshape(*bottom[0].data.shape)

    def forward(self, bottom, top):
        Echo.calls += 1
        top[0].data[...] = bottom[0].data

    def backward(self, top, propagate_down, bottom):
        bottom[0].diff[...] = top[0].diff
