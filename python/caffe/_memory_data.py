"""pycaffe's set_input_arrays: checks the arrays as Caffe does, then hands them to MemoryData."""
import numpy as np
from jpype import JArray, JFloat


def set_input_arrays(net, data, labels):
    labels = np.asarray(labels)
    if labels.ndim == 1:
        labels = labels[:, np.newaxis, np.newaxis, np.newaxis]
    for name, array in (('data', data), ('labels', labels)):
        if not isinstance(array, np.ndarray) or array.dtype != np.float32:
            raise ValueError('set_input_arrays: %s must be a float32 numpy array' % name)
        if not array.flags['C_CONTIGUOUS']:
            raise ValueError('set_input_arrays: %s must be C-contiguous' % name)
    if data.ndim != 4 or labels.ndim != 4:
        raise ValueError('set_input_arrays: data and labels must have 4 axes')
    if labels.shape[1:] != (1, 1, 1):
        raise ValueError('set_input_arrays: labels must have shape (N, 1, 1, 1)')
    if data.shape[0] != labels.shape[0]:
        raise ValueError('set_input_arrays: data has %d items, labels %d' % (data.shape[0], labels.shape[0]))
    top = net.blobs[net.top_names[net._layer_names[0]][0]] if net._layer_names else None
    if top is not None and tuple(data.shape[1:]) != top.shape[1:]:
        raise ValueError('set_input_arrays: data items have shape %s, the MemoryData layer %s'
                         % (data.shape[1:], top.shape[1:]))
    net._network.setInputArrays(JArray(JFloat)(data.ravel()), JArray(JFloat)(labels.ravel()),
                                int(data.shape[0]))
