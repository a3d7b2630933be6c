"""pycaffe's module functions: mode, seed, logging, the layer registry, Timer."""
import os
import time

from . import _engine

_warned_gpu = [False]


def _warn_cpu_only(what):
    if not _warned_gpu[0]:
        _warned_gpu[0] = True
        _engine.Glog.warn('%s: Kaffee computes on the CPU; continuing on the CPU', what)


def set_mode_cpu():
    """Kaffee always computes on the CPU."""


def set_mode_gpu():
    _warn_cpu_only('set_mode_gpu')


def set_device(device_id):
    _warn_cpu_only('set_device(%d)' % int(device_id))


def set_random_seed(seed):
    """Seeds the engine's one generator (fillers, dropout, crops, shuffles)."""
    _engine.Rng.seed(int(seed))


def layer_type_list():
    return [str(t) for t in _engine.LayerRegistry.typeNames()]


def has_nccl():
    """No NCCL: data-parallel training is `kaffee train --workers=N`."""
    return False


def init_log(level=0):
    """glog's minimum level: 0 logs INFO lines (the default), 1 or more only warnings and errors."""
    _engine.Glog.setQuiet(int(level) >= 1)


def log(message):
    _engine.Glog.info('%s', str(message))


def solver_count():
    return 1


def solver_rank():
    return 0


def _init_from_environment():
    """GLOG_minloglevel=1 (or more) silences INFO lines, as it does for Caffe."""
    level = os.environ.get('GLOG_minloglevel', '0')
    if level.isdigit():
        init_log(int(level))


class Timer(object):
    """caffe.Timer: start(), stop(), and ms, the milliseconds from start to stop. As Caffe's,
    start() on a running timer changes nothing, reading ms stops it, and one never started reads 0."""

    def __init__(self):
        self._started = None
        self._elapsed = 0.0

    def start(self):
        if self._started is None:
            self._started = time.perf_counter()

    def stop(self):
        if self._started is not None:
            self._elapsed = (time.perf_counter() - self._started) * 1e3
            self._started = None

    @property
    def ms(self):
        self.stop()
        return self._elapsed
