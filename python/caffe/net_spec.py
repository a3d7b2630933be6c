"""caffe.NetSpec, caffe.layers (L) and caffe.params (P): nets written as Python calls.

    n = caffe.NetSpec()
    n.data, n.label = L.DummyData(shape=[dict(dim=[64, 1, 28, 28]), dict(dim=[64])], ntop=2)
    n.ip = L.InnerProduct(n.data, num_output=10)
    n.loss = L.SoftmaxWithLoss(n.ip, n.label)
    net_param = n.to_proto()          # a caffe_pb2.NetParameter of the project's schema

A keyword is a field of the layer's own parameter message (num_output -> inner_product_param)
or, failing that, of LayerParameter (param, include, loss_weight); a keyword ending in `param`
fills that message. Lists fill repeated fields, dicts fill messages.
"""
from collections import Counter, OrderedDict

from .proto import caffe_pb2


def param_name_dict():
    """Layer type -> the prefix of its parameter field ('Pooling' -> 'pooling'), read from
    LayerParameter's fields named *_param whose message is <Type>Parameter."""
    names = {}
    for field in caffe_pb2.LayerParameter.DESCRIPTOR.fields:
        if field.name.endswith('_param') and field.message_type is not None:
            message = field.message_type.name
            if message.endswith('Parameter'):
                names[message[:-len('Parameter')]] = field.name[:-len('_param')]
    # types whose message is shared or named differently
    names.setdefault('Deconvolution', 'convolution')
    return names


_param_names = param_name_dict()


def assign_proto(proto, name, value):
    """Sets field `name` of a message: a list appends (dicts in it add sub-messages), a dict
    fills a sub-message, anything else is assigned."""
    field = getattr(proto, name)
    repeated = hasattr(field, 'extend')
    if repeated and not isinstance(value, list):
        value = [value]
    if isinstance(value, list):
        if value and isinstance(value[0], dict):
            for item in value:
                message = field.add()
                for key, inner in item.items():
                    assign_proto(message, key, inner)
        else:
            field.extend(value)
    elif isinstance(value, dict):
        for key, inner in value.items():
            assign_proto(field, key, inner)
    else:
        setattr(proto, name, value)


class Top(object):
    """Output number n of a layer call; the blob other calls take as input."""

    def __init__(self, fn, n):
        self.fn = fn
        self.n = n

    def to_proto(self):
        """The net that computes this top (its inputs' layers included)."""
        return to_proto(self)

    def _to_proto(self, layers, names, autonames):
        return self.fn._to_proto(layers, names, autonames)


class Function(object):
    """One layer call: its type, input Tops, keyword parameters and output Tops."""

    def __init__(self, type_name, inputs, params):
        self.type_name = type_name
        for i, top in enumerate(inputs):
            if not isinstance(top, Top):
                raise TypeError('%s input %d is not a Top (type is %s)' % (type_name, i, type(top)))
        self.inputs = inputs
        self.params = dict(params)
        self.ntop = self.params.pop('ntop', 1)
        self.in_place = self.params.pop('in_place', False)
        self.tops = tuple(Top(self, n) for n in range(self.ntop))

    def _top_name(self, top, names, autonames):
        if top not in names:
            autonames[top.fn.type_name] += 1
            names[top] = top.fn.type_name + str(autonames[top.fn.type_name])
        return names[top]

    def _name(self, names, autonames):
        if self not in names:
            if self.ntop > 0:
                names[self] = self._top_name(self.tops[0], names, autonames)
            else:
                autonames[self.type_name] += 1
                names[self] = self.type_name + str(autonames[self.type_name])
        return names[self]

    def _to_proto(self, layers, names, autonames):
        if self in layers:
            return
        bottoms = []
        for top in self.inputs:
            top._to_proto(layers, names, autonames)
            bottoms.append(layers[top.fn].top[top.n])
        layer = caffe_pb2.LayerParameter()
        layer.type = self.type_name
        layer.bottom.extend(bottoms)
        if self.in_place:
            layer.top.extend(layer.bottom)
        else:
            layer.top.extend(self._top_name(top, names, autonames) for top in self.tops)
        layer.name = self._name(names, autonames)
        for key, value in self.params.items():
            if key.endswith('param'):
                assign_proto(layer, key, value)
                continue
            try:
                assign_proto(getattr(layer, _param_names[self.type_name] + '_param'), key, value)
            except (AttributeError, KeyError):
                assign_proto(layer, key, value)
        layers[self] = layer


def to_proto(*tops):
    """The NetParameter computing these tops, layers in the order their inputs need."""
    layers = OrderedDict()
    autonames = Counter()
    for top in tops:
        top.fn._to_proto(layers, {}, autonames)
    net = caffe_pb2.NetParameter()
    net.layer.extend(layers.values())
    return net


class NetSpec(object):
    """Tops assigned as attributes (n.conv1 = L.Convolution(...)) name their layers and blobs."""

    def __init__(self):
        super(NetSpec, self).__setattr__('tops', OrderedDict())

    def __setattr__(self, name, value):
        self.tops[name] = value

    def __getattr__(self, name):
        try:
            return self.tops[name]
        except KeyError:
            raise AttributeError(name) from None

    def __setitem__(self, key, value):
        self.__setattr__(key, value)

    def __getitem__(self, item):
        return self.__getattr__(item)

    def __delitem__(self, name):
        del self.tops[name]

    def keys(self):
        return list(self.tops.keys())

    def vals(self):
        return list(self.tops.values())

    def to_proto(self):
        names = {top: name for name, top in self.tops.items()}
        autonames = Counter()
        layers = OrderedDict()
        for top in self.tops.values():
            top._to_proto(layers, names, autonames)
        net = caffe_pb2.NetParameter()
        net.layer.extend(layers.values())
        return net


class Layers(object):
    """L.<Type>(*bottoms, **params): a layer call; one Top, a tuple for ntop > 1, the Function for ntop 0."""

    def __getattr__(self, name):
        def layer_fn(*args, **kwargs):
            fn = Function(name, args, kwargs)
            if fn.ntop == 0:
                return fn
            if fn.ntop == 1:
                return fn.tops[0]
            return fn.tops
        return layer_fn


class Parameters(object):
    """P.<Type>.<VALUE>: an enum value of <Type>Parameter, e.g. P.Pooling.MAX."""

    def __getattr__(self, name):
        message = getattr(caffe_pb2, name + 'Parameter')

        class EnumValues(object):
            def __getattr__(self, value):
                return getattr(message, value)
        return EnumValues()


layers = Layers()
params = Parameters()
