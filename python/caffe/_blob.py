"""caffe.Blob: numpy views of an engine blob's own memory."""
import numpy as np


class _Memory(object):
    """Lends numpy the blob's memory through the array interface and keeps it alive: the
    engine frees memory nothing holds, and numpy holds this object as the view's base."""
    __slots__ = ('__array_interface__', '_pin')

    def __init__(self, memory):
        self._pin = memory
        self.__array_interface__ = {
            'shape': tuple(memory.shape()),
            'typestr': '<f4',
            'data': (int(memory.address()), False),
            'version': 3,
        }


def _view(memory):
    return np.asarray(_Memory(memory))


class Blob(object):
    """A blob as pycaffe shows it: `data` and `diff` are float32 views (no copies) of the blob.

    A view keeps the memory it shows alive, even after `del net`; after a reshape ask for
    `data` again to see the new shape. The views are made once and kept until the engine
    gives the blob other memory or another shape (its layout stamp, read without a JVM call).
    """
    __slots__ = ('_handle', '_stamp', '_seen', '_views')

    def __init__(self, handle):
        self._handle = handle
        self._stamp = None  # numpy view of the engine's layout stamp, made at the first access
        self._seen = None  # the stamp the cached views were made at
        self._views = [None, None]  # data, diff

    def _cached(self, diff):
        if self._stamp is None:
            self._stamp = np.asarray(memoryview(self._handle.layoutStamp()))
        stamp = self._stamp.item(0)
        if stamp != self._seen:  # the engine gave the blob other memory or another shape
            self._seen, self._views = stamp, [None, None]
        cached = self._views[diff]
        if cached is None:
            cached = self._views[diff] = _view(self._handle.memory(diff))
        return cached

    # Each access gives a new array object over the same memory: setting .shape on one leaves
    # the cache intact.
    @property
    def data(self):
        return self._cached(False).view()

    @property
    def diff(self):
        return self._cached(True).view()

    @property
    def shape(self):
        return self._cached(False).shape

    @property
    def count(self):
        return int(self._handle.count())

    def _legacy(self, index):
        shape = self.shape
        if len(shape) > 4:
            raise ValueError('num/channels/height/width need a blob of at most 4 axes, got %s' % (shape,))
        return shape[index] if index < len(shape) else 1

    @property
    def num(self):
        return self._legacy(0)

    @property
    def channels(self):
        return self._legacy(1)

    @property
    def height(self):
        return self._legacy(2)

    @property
    def width(self):
        return self._legacy(3)

    def reshape(self, *shape):
        """Blob.reshape(n, c, h, w) as in pycaffe; no arguments makes a zero-axis (scalar) blob."""
        dims = [int(d) for d in shape]
        if any(d < 0 for d in dims):
            raise ValueError('blob dimensions must not be negative, got %s' % (dims,))
        self._handle.reshape(dims)

    def __repr__(self):
        return 'Blob%s' % (self.shape,)


class BlobVec(list):
    """A layer's param blobs; a Python layer adds its own with add_blob(*shape) in setup."""

    def __init__(self, blobs, context=None):
        list.__init__(self, blobs)
        self._context = context

    def add_blob(self, *shape):
        if self._context is None:
            raise RuntimeError('add_blob is only for the blobs of a Python layer')
        handle = self._context.addBlob([int(d) for d in shape])
        self.append(Blob(handle))
