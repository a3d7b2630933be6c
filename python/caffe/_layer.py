"""Python layers: caffe.Layer, and the host through which the engine creates and runs them."""
import importlib
import sys
import traceback

from jpype import JImplements, JOverride

from . import _engine
from ._blob import Blob, BlobVec

# Set by the command-line entry (caffe._cli) for --verbose: print a failing layer's traceback.
print_tracebacks = [False]


class Layer(object):
    """Base class of a `type: "Python"` layer, as in Caffe.

    Override setup(bottom, top), reshape(bottom, top), forward(bottom, top) and
    backward(top, propagate_down, bottom). Before setup the engine sets self.param_str,
    self.phase (caffe.TRAIN or caffe.TEST) and self.blobs (add params with add_blob(*shape)).
    bottom and top are lists of caffe.Blob whose data/diff are views of the net's memory.
    """

    def __init__(self, param=None):
        self.param = param

    def setup(self, bottom, top):
        pass

    def reshape(self, bottom, top):
        pass

    def forward(self, bottom, top):
        pass

    def backward(self, top, propagate_down, bottom):
        pass

    @property
    def type(self):
        return 'Python'


def _one_line(error):
    text = ' '.join(str(error).split())
    return '%s: %s' % (type(error).__name__, text) if text else type(error).__name__


@JImplements('org.kaffee.api.PythonCode')
class _Code(object):
    """One Python layer object as the engine calls it."""

    def __init__(self, context, layer):
        self._context = context
        self._layer = layer
        self._where = 'layer %s (Python %s.%s)' % (context.name(), context.module(), context.layerClass())
        self._bottom = []
        self._top = []

    def _failed(self, step, error):
        """Keeps the Python exception for the caller and gives the engine one line naming layer, module, error."""
        _engine.record_layer_error(error)
        if print_tracebacks[0]:
            traceback.print_exception(type(error), error, error.__traceback__, file=sys.stderr)
        return _engine.KaffeeException('%s: %s: %s' % (self._where, step, _one_line(error)))

    @JOverride
    def bind(self, bottom, top):
        self._bottom = [Blob(h) for h in bottom]
        self._top = [Blob(h) for h in top]

    @JOverride
    def setup(self):
        try:
            self._layer.setup(self._bottom, self._top)
        except BaseException as e:
            raise self._failed('setup', e)

    @JOverride
    def reshape(self):
        try:
            self._layer.reshape(self._bottom, self._top)
        except BaseException as e:
            raise self._failed('reshape', e)

    @JOverride
    def forward(self):
        try:
            self._layer.forward(self._bottom, self._top)
        except BaseException as e:
            raise self._failed('forward', e)

    @JOverride
    def backward(self, propagate_down):
        try:
            self._layer.backward(self._top, [bool(p) for p in propagate_down], self._bottom)
        except BaseException as e:
            raise self._failed('backward', e)


@JImplements('org.kaffee.api.PythonHost')
class _Host(object):
    """Imports a layer's module from sys.path and creates its object, as Caffe does."""

    @JOverride
    def create(self, context):
        where = 'layer %s (Python %s.%s)' % (context.name(), context.module(), context.layerClass())
        try:
            from .proto import caffe_pb2
            module = importlib.import_module(str(context.module()))
            cls = getattr(module, str(context.layerClass()))
            layer = cls(caffe_pb2.LayerParameter.FromString(bytes(context.param())))
            layer.param_str = str(context.paramStr())
            layer.phase = int(context.phase())
            layer.blobs = BlobVec([Blob(h) for h in context.blobs()], context)
        except BaseException as e:
            _engine.record_layer_error(e)
            if print_tracebacks[0]:
                traceback.print_exception(type(e), e, e.__traceback__, file=sys.stderr)
            raise _engine.KaffeeException('%s: cannot create it: %s' % (where, _one_line(e)))
        return _Code(context, layer)


def install():
    """From now on the engine runs `type: "Python"` layers no Java plugin provides here."""
    _engine.PythonLayers.install(_Host())
