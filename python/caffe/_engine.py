"""The engine's Java classes, and the translation of its errors into Python exceptions."""
import contextlib

import jpype

from . import _jvm

_jvm.start()

Kaffee = jpype.JClass('org.kaffee.api.Kaffee')
Trainer = jpype.JClass('org.kaffee.api.Trainer')
PythonLayers = jpype.JClass('org.kaffee.api.PythonLayers')
Phase = jpype.JClass('org.kaffee.proto.Caffe$Phase')
NetParameter = jpype.JClass('org.kaffee.proto.Caffe$NetParameter')
LayerRegistry = jpype.JClass('org.kaffee.core.LayerRegistry')
Rng = jpype.JClass('org.kaffee.core.Rng')
Glog = jpype.JClass('org.kaffee.log.Glog')
KaffeeException = jpype.JClass('org.kaffee.core.KaffeeException')
JPath = jpype.JClass('java.nio.file.Path')
JString = jpype.JClass('java.lang.String')
ArrayList = jpype.JClass('java.util.ArrayList')


class KaffeeError(RuntimeError):
    """An input or a state the engine refuses: the message names the file, layer or blob."""


# The Python exception a Python layer raised during the engine call now running: the engine
# sees it as a one-line KaffeeException, and the caller gets the original back.
_pending = [None]


def record_layer_error(error):
    # the traceback is kept apart: crossing the JVM, JPype may drop the exception's own
    _pending[0] = (error, error.__traceback__)


@contextlib.contextmanager
def errors():
    """Runs an engine call; a Python layer's exception comes back as itself, an engine error as KaffeeError."""
    _pending[0] = None
    try:
        yield
    except jpype.JException as e:
        pending, _pending[0] = _pending[0], None
        if pending is not None:
            original, trace = pending
            raise original.with_traceback(trace) from None
        message = str(e.getMessage()) if e.getMessage() is not None else str(e)
        raise KaffeeError(message) from None


def java_list(items):
    """A java.util.List of the items (JPype does not turn Python lists into Java lists)."""
    out = ArrayList()
    for item in items:
        out.add(item)
    return out


def path(name):
    """A java.nio.file.Path for a str or os.PathLike."""
    import os
    return JPath.of(JString(os.fspath(name)), [])


def phase(value):
    """caffe.TRAIN (0) / caffe.TEST (1) as the engine's Phase."""
    if int(value) not in (0, 1):
        raise ValueError('phase must be caffe.TRAIN (0) or caffe.TEST (1), got %r' % (value,))
    return Phase.forNumber(int(value))
