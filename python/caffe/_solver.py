"""caffe.SGDSolver and the other update rules over the engine's org.kaffee.api.Trainer."""
from jpype import JImplements, JOverride

from . import _engine
from ._net import Net


@JImplements('org.kaffee.solver.Solver$Callback')
class _Callback(object):
    def __init__(self, on_start, on_gradients):
        self._on_start = on_start
        self._on_gradients = on_gradients

    @JOverride
    def onStart(self):
        self._call(self._on_start)

    @JOverride
    def onGradients(self):
        self._call(self._on_gradients)

    @staticmethod
    def _call(function):
        try:
            function()
        except BaseException as e:
            _engine.record_layer_error(e)
            raise _engine.KaffeeException('solver callback %s failed: %s: %s'
                                          % (getattr(function, '__name__', function), type(e).__name__, e))


class Solver(object):
    """A solver from a solver prototxt; `net` and `test_nets` are the nets it trains and tests."""
    _type = None  # the update rule a subclass forces; None: the file's `type`

    def __init__(self, filename):
        with _engine.errors():
            if self._type is None:
                self._trainer = _engine.Trainer.open(_engine.path(filename))
            else:
                self._trainer = _engine.Trainer.open(_engine.path(filename), self._type)
        self.net = Net._wrap(self._trainer.net())
        self.test_nets = [Net._wrap(n) for n in self._trainer.testNets()]

    @property
    def iter(self):
        return int(self._trainer.iter())

    @property
    def type(self):
        return str(self._trainer.type())

    @property
    def param(self):
        from .proto import caffe_pb2
        return caffe_pb2.SolverParameter.FromString(bytes(self._trainer.param()))

    def step(self, iters):
        with _engine.errors():
            self._trainer.step(int(iters))

    def solve(self, resume_file=None):
        with _engine.errors():
            if resume_file is None:
                self._trainer.solve()
            else:
                self._trainer.solve(_engine.path(resume_file))

    def snapshot(self):
        with _engine.errors():
            self._trainer.snapshot()

    def restore(self, state_file):
        with _engine.errors():
            self._trainer.restore(_engine.path(state_file))

    def apply_update(self):
        """One update from the gradients in the params' diffs; iter does not move (as in Caffe)."""
        with _engine.errors():
            self._trainer.applyUpdate()

    def add_callback(self, on_start, on_gradients):
        """Calls on_start() at the start of every iteration, on_gradients() before its update."""
        self._trainer.addCallback(_Callback(on_start, on_gradients))


class SGDSolver(Solver):
    _type = 'SGD'


class NesterovSolver(Solver):
    _type = 'Nesterov'


class AdaGradSolver(Solver):
    _type = 'AdaGrad'


class RMSPropSolver(Solver):
    _type = 'RMSProp'


class AdaDeltaSolver(Solver):
    _type = 'AdaDelta'


class AdamSolver(Solver):
    _type = 'Adam'


def get_solver(filename):
    """The solver of the type the file's `type` field names (SGD when absent)."""
    return Solver(filename)
