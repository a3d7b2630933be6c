"""Caffe's Python interface (pycaffe) on the Kaffee engine, in the same process through JPype.

    import caffe
    net = caffe.Net('deploy.prototxt', caffe.TEST, weights='model.caffemodel')
    out = net.forward(data=batch)

Blobs are numpy views of the engine's memory; `type: "Python"` layers run in this interpreter.
"""
from . import _engine
from ._caffe import (set_mode_cpu, set_mode_gpu, set_device, set_random_seed, layer_type_list,
                     has_nccl, init_log, log, solver_count, solver_rank, Timer, _init_from_environment)
from ._blob import Blob
from ._net import Net
from ._layer import Layer
from ._solver import (SGDSolver, NesterovSolver, AdaGradSolver, RMSPropSolver, AdaDeltaSolver,
                      AdamSolver, get_solver)
from ._engine import KaffeeError
from .proto.caffe_pb2 import TRAIN, TEST
from . import _layer
from .classifier import Classifier
from .detector import Detector
from . import io
from .net_spec import layers, params, NetSpec, to_proto

__version__ = '1.0.0'

_init_from_environment()
_layer.install()
