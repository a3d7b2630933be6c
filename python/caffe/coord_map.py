"""caffe.coord_map: how coordinates of one top map onto another through spatial layers, to
define the Crop layers of fully convolutional nets (FCN).

A map is (axis, a, b): a coordinate x of the later top lies at a * x + b in the earlier one,
along the spatial axes from `axis` on (a and b are arrays for layers with per-axis settings).
"""
import numpy as np

from .net_spec import layers as L

# Layers that keep every coordinate where it is.
PASS_THROUGH_LAYERS = ['AbsVal', 'BatchNorm', 'Bias', 'BNLL', 'Dropout', 'Eltwise', 'ELU', 'Log',
                       'LRN', 'Exp', 'MVN', 'Power', 'ReLU', 'PReLU', 'Scale', 'Sigmoid', 'Split',
                       'TanH', 'Threshold']


class UndefinedMapException(Exception):
    """The layer does not map coordinates (it is not spatial: InnerProduct, Input...)."""


class AxisMismatchException(Exception):
    """Two maps act on different first spatial axes."""


def conv_params(fn):
    """(axis, stride, effective kernel extent, pad) of a Convolution/Pooling/Deconvolution call."""
    p = fn.params
    separate = {'pad_h', 'pad_w', 'kernel_h', 'kernel_w', 'stride_h', 'stride_w'} & set(p)
    if separate:
        raise ValueError('coord_map needs kernel_size/stride/pad, not %s' % sorted(separate))
    kernel = np.array(p['kernel_size'], ndmin=1)
    dilation = np.array(p.get('dilation', 1), ndmin=1)
    return (p.get('axis', 1), np.array(p.get('stride', 1), ndmin=1), (kernel - 1) * dilation + 1,
            np.array(p.get('pad', 0), ndmin=1))


def crop_params(fn):
    """(axis, offset) of a Crop call, given directly or as crop_param."""
    p = fn.params.get('crop_param', fn.params)
    return p.get('axis', 2), np.array(p.get('offset', 0), ndmin=1)


def coord_map(fn):
    """The map from a layer's top to its (first) bottom."""
    if fn.type_name in ('Convolution', 'Pooling', 'Im2col'):
        axis, stride, extent, pad = conv_params(fn)
        return axis, 1 / stride, (pad - (extent - 1) / 2) / stride
    if fn.type_name == 'Deconvolution':
        axis, stride, extent, pad = conv_params(fn)
        return axis, stride, (extent - 1) / 2 - pad
    if fn.type_name in PASS_THROUGH_LAYERS:
        return None, 1, 0
    if fn.type_name == 'Crop':
        axis, offset = crop_params(fn)
        return axis - 1, 1, -offset  # Crop's axis counts the channel axis the maps leave out
    raise UndefinedMapException(fn.type_name)


def compose(base_map, next_map):
    """base_map followed by next_map."""
    ax1, a1, b1 = base_map
    ax2, a2, b2 = next_map
    if ax1 is None:
        ax = ax2
    elif ax2 is None or ax1 == ax2:
        ax = ax1
    else:
        raise AxisMismatchException('axes %s and %s' % (ax1, ax2))
    return ax, a1 * a2, a1 * b2 + b1


def inverse(coord_map):
    ax, a, b = coord_map
    return ax, 1 / a, -b / a


def _mapped_bottoms(top):
    """The bottoms a map walks through: all of them, except Crop's second (it only gives a size)."""
    bottoms = top.fn.inputs
    return bottoms[:1] if top.fn.type_name == 'Crop' else bottoms


def _maps_back(start):
    """Yields (top, map from start to top) walking from start towards the inputs."""
    maps = {start: (None, 1, 0)}
    frontier = [start]
    while frontier:
        top = frontier.pop()
        yield top, maps[top]
        try:
            step = coord_map(top.fn)
        except UndefinedMapException:
            continue
        for bottom in _mapped_bottoms(top):
            maps[bottom] = compose(maps[top], step)
            frontier.append(bottom)


def coord_map_from_to(top_from, top_to):
    """The map from coordinates of top_from to those of top_to, through a common ancestor."""
    from_maps = dict(_maps_back(top_from))
    for top, to_map in _maps_back(top_to):
        if top in from_maps:
            return compose(to_map, inverse(from_maps[top]))
    raise RuntimeError('Could not compute map between tops; are they connected by spatial layers?')


def crop(top_from, top_to):
    """A Crop layer that cuts top_from to top_to's extent where the maps say they line up."""
    ax, a, b = coord_map_from_to(top_from, top_to)
    assert (a == 1).all(), 'scale mismatch on crop (a = {})'.format(a)
    assert (b <= 0).all(), 'cannot crop negative offset (b = {})'.format(b)
    assert (np.round(b) == b).all(), 'cannot crop noninteger offset (b = {})'.format(b)
    return L.Crop(top_from, top_to, crop_param=dict(axis=ax + 1, offset=list(-np.round(b).astype(int))))
