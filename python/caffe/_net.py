"""caffe.Net over the engine's org.kaffee.api.Network."""
from collections import OrderedDict
import itertools

import numpy as np

from . import _engine
from ._blob import Blob, BlobVec


class LayerView(object):
    """One layer of a net as pycaffe lists it: `type` and its param `blobs`."""

    def __init__(self, handle):
        self.type = str(handle.type())
        self.blobs = BlobVec([Blob(h) for h in handle.blobs()])

    def __repr__(self):
        return '<caffe layer %s>' % self.type


def _open(model, weights, phase, level, stages):
    if phase is None:
        raise TypeError('caffe.Net needs a phase: caffe.Net(model, caffe.TEST) or '
                        'caffe.Net(model, caffe.TEST, weights=...)')
    if hasattr(model, 'SerializeToString'):  # a caffe_pb2.NetParameter, e.g. from NetSpec
        loader = _engine.Kaffee.open(_engine.NetParameter.parseFrom(model.SerializeToString()))
    else:
        loader = _engine.Kaffee.open(_engine.path(model))
    loader.phase(_engine.phase(phase)).level(int(level))
    if stages:
        loader.stages(_engine.java_list(str(s) for s in stages))
    if weights is not None:
        loader.weights([_engine.path(weights)])
    return loader.load()


class Net(object):
    """caffe.Net(model, phase, level=0, stages=None, weights=None), or the legacy
    caffe.Net(model, weights, phase). Blobs and params are views of the net's memory."""

    def __init__(self, model, *args, **kwargs):
        weights, phase = kwargs.pop('weights', None), kwargs.pop('phase', None)
        level, stages = kwargs.pop('level', 0), kwargs.pop('stages', None)
        if kwargs:
            raise TypeError('caffe.Net got unexpected arguments %s' % sorted(kwargs))
        if len(args) == 2:
            weights, phase = args
        elif len(args) == 1:
            phase = args[0]
        elif len(args) > 2:
            raise TypeError('caffe.Net takes (model, phase) or (model, weights, phase)')
        with _engine.errors():
            self._attach(_open(model, weights, phase, level, stages))

    @classmethod
    def _wrap(cls, network):
        """A Net over an engine net made elsewhere (a solver's)."""
        net = cls.__new__(cls)
        net._attach(network)
        return net

    def _attach(self, network):
        self._network = network
        self._layer_names = [str(n) for n in network.layerNames()]
        self._blob_names = [str(n) for n in network.blobNames()]
        handles = list(network.layers())
        self.layers = [LayerView(h) for h in handles]
        self.top_names = OrderedDict(
            (name, [str(t) for t in h.topNames()]) for name, h in zip(self._layer_names, handles))
        self.bottom_names = OrderedDict(
            (name, [str(b) for b in h.bottomNames()]) for name, h in zip(self._layer_names, handles))
        self._blobs = OrderedDict((name, Blob(network.blobHandle(name))) for name in self._blob_names)
        # as in Caffe, a blob's loss weight is that of the last layer writing it (in-place tops)
        weights = {}
        for name, h in zip(self._layer_names, handles):
            weights.update(zip(self.top_names[name], (float(w) for w in h.lossWeights())))
        self._blob_loss_weights = [weights.get(name, 0.0) for name in self._blob_names]
        self._params = None
        self.inputs = [str(n) for n in network.inputNames()]
        self.outputs = [str(n) for n in network.outputNames()]

    # ---- what the net holds -------------------------------------------------

    @property
    def blobs(self):
        return self._blobs

    @property
    def params(self):
        """Layer name -> its param blobs, for the layers that have any (made once, after set-up)."""
        if self._params is None:
            self._params = OrderedDict(
                (name, layer.blobs) for name, layer in zip(self._layer_names, self.layers) if layer.blobs)
        return self._params

    @property
    def blob_loss_weights(self):
        """Blob name -> the weight its values add to the net's loss (0 for most), in net order."""
        return OrderedDict(zip(self._blob_names, self._blob_loss_weights))

    @property
    def layer_dict(self):
        return OrderedDict(zip(self._layer_names, self.layers))

    # ---- running --------------------------------------------------------------

    def _layer_index(self, name):
        try:
            return self._layer_names.index(name)
        except ValueError:
            raise ValueError('net has no layer named %r' % (name,)) from None

    def forward(self, blobs=None, start=None, end=None, **kwargs):
        """Runs layers start..end (all by default) after copying keyword inputs in; returns
        {blob name: data view} for the outputs (or end's tops) and the `blobs` asked for."""
        wanted = list(blobs or [])
        first = 0 if start is None else self._layer_index(start)
        if end is None:
            last, outputs = len(self.layers) - 1, set(self.outputs + wanted)
        else:
            last = self._layer_index(end)
            outputs = set(self.top_names[end] + wanted)
        if kwargs:
            if set(kwargs) != set(self.inputs):
                raise Exception('Input blob arguments do not match net inputs.')
            for name, value in kwargs.items():
                target = self.blobs[name].data
                if value.shape[0] != target.shape[0]:
                    raise Exception('Input is not batch sized')
                target[...] = value
        with _engine.errors():
            self._network.forward(first, last)
        return {name: self.blobs[name].data for name in outputs}

    def backward(self, diffs=None, start=None, end=None, **kwargs):
        """Backward from start down to end (all by default) after copying keyword top diffs in;
        returns {blob name: diff view} for the inputs (or end's bottoms) and the `diffs` asked for."""
        wanted = list(diffs or [])
        first = len(self.layers) - 1 if start is None else self._layer_index(start)
        if end is None:
            last, outputs = 0, set(self.inputs + wanted)
        else:
            last = self._layer_index(end)
            outputs = set(self.bottom_names[end] + wanted)
        if kwargs:
            if set(kwargs) != set(self.outputs):
                raise Exception('Top diff arguments do not match net outputs.')
            for name, value in kwargs.items():
                target = self.blobs[name].diff
                if value.shape[0] != target.shape[0]:
                    raise Exception('Diff is not batch sized')
                target[...] = value
        with _engine.errors():
            self._network.backward(first, last)
        return {name: self.blobs[name].diff for name in outputs}

    def _batches(self, arrays):
        """Splits {input: array} into net-sized batches, the last one padded with zeros."""
        total = len(next(iter(arrays.values())))
        size = self.blobs[next(iter(self.blobs))].shape[0]
        for start in range(0, total, size):
            batch = {}
            for name, array in arrays.items():
                part = np.asarray(array[start:start + size])
                if len(part) < size:
                    padding = np.zeros((size - len(part),) + part.shape[1:], dtype=part.dtype)
                    part = np.concatenate([part, padding])
                batch[name] = part
            yield batch

    def forward_all(self, blobs=None, **kwargs):
        """forward over every batch of the keyword inputs; outputs stacked, padding dropped."""
        names = set(self.outputs + list(blobs or []))
        collected = {name: [] for name in names}
        for batch in self._batches(kwargs):
            for name, value in self.forward(blobs=blobs, **batch).items():
                collected[name].extend(value.copy())
        return self._trim(collected, kwargs)

    def forward_backward_all(self, blobs=None, diffs=None, **kwargs):
        """forward then backward over every batch; returns (outputs, input diffs), padding dropped."""
        forward_in = {k: v for k, v in kwargs.items() if k in self.inputs}
        backward_in = {k: v for k, v in kwargs.items() if k not in self.inputs}
        outs = {name: [] for name in set(self.outputs + list(blobs or []))}
        grads = {name: [] for name in set(self.inputs + list(diffs or []))}
        # as Caffe: the longer of the two series sets the passes, the shorter's missing ones are empty
        batches_f = self._batches(forward_in) if forward_in else iter(())
        batches_b = self._batches(backward_in) if backward_in else iter(())
        for fb, bb in itertools.zip_longest(batches_f, batches_b, fillvalue={}):
            for name, value in self.forward(blobs=blobs, **fb).items():
                outs[name].extend(value.copy())
            for name, value in self.backward(diffs=diffs, **bb).items():
                grads[name].extend(value.copy())
        reference = forward_in or backward_in
        return self._trim(outs, reference), self._trim(grads, reference)

    @staticmethod
    def _trim(collected, inputs):
        given = len(next(iter(inputs.values()))) if inputs else None
        return {name: np.asarray(values)[:given] for name, values in collected.items()}

    def reshape(self):
        with _engine.errors():
            self._network.reshape()

    def set_input_arrays(self, data, labels):
        """Feeds a MemoryData first layer: data (N, C, H, W) and labels (N,) float32, N a
        multiple of its batch size. The arrays are copied into the net."""
        from ._memory_data import set_input_arrays
        with _engine.errors():
            set_input_arrays(self, data, labels)

    # ---- weights --------------------------------------------------------------

    def copy_from(self, weights):
        with _engine.errors():
            self._network.copyFrom(_engine.path(weights))

    def share_with(self, other):
        with _engine.errors():
            self._network.shareWith(other._network)

    def save(self, filename):
        with _engine.errors():
            self._network.save(_engine.path(filename))

    def save_hdf5(self, filename):
        with _engine.errors():
            self._network.saveHdf5(_engine.path(filename))

    def load_hdf5(self, filename):
        with _engine.errors():
            self._network.loadHdf5(_engine.path(filename))

    def clear_param_diffs(self):
        self._network.clearParamDiffs()
