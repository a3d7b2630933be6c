"""caffe.draw: a NetParameter as a Graphviz graph (through pydot): layers as boxes, blobs as
octagons, in-place layers beside their blob."""
from .proto import caffe_pb2

LAYER_STYLE = {'shape': 'record', 'fillcolor': '#6495ED', 'style': 'filled'}
NEURON_LAYER_STYLE = {'shape': 'record', 'fillcolor': '#90EE90', 'style': 'filled'}
BLOB_STYLE = {'shape': 'octagon', 'fillcolor': '#E0E0E0', 'style': 'filled'}


def _phase_matches(layer, phase):
    """Caffe's include/exclude rules, on phase only (levels and stages are not known here)."""
    if phase is None:
        return True
    if layer.include:
        return any(not rule.HasField('phase') or rule.phase == phase for rule in layer.include)
    return not any(rule.HasField('phase') and rule.phase == phase for rule in layer.exclude)


def _spatial(values, default):
    return values[0] if len(values) else default


def get_layer_label(layer, rankdir, display_lrm=False):
    """The node text: name, type and, for convolution and pooling, kernel, stride and pad."""
    separator = '\\n' if rankdir in ('TB', 'BT') else ' '
    lines = [layer.name, '(%s)' % layer.type]
    if layer.type in ('Convolution', 'Deconvolution'):
        p = layer.convolution_param
        lines.append('kernel size: %d' % _spatial(p.kernel_size, p.kernel_h or 1))
        lines.append('stride: %d' % _spatial(p.stride, p.stride_h or 1))
        lines.append('pad: %d' % _spatial(p.pad, p.pad_h))
    elif layer.type == 'Pooling':
        p = layer.pooling_param
        lines.append('pool type: %s' % caffe_pb2.PoolingParameter.PoolMethod.Name(p.pool))
        lines.append('kernel size: %d' % (p.kernel_size or p.kernel_h))
        lines.append('stride: %d' % (p.stride or p.stride_h))
        lines.append('pad: %d' % (p.pad or p.pad_h))
    if display_lrm:
        rates = ['%s/%s' % (param.lr_mult, param.decay_mult) for param in layer.param]
        if rates:
            lines.append('lr mult/decay mult: ' + ', '.join(rates))
    return '"%s"' % separator.join(lines)


def choose_color_by_layertype(layertype):
    if layertype in ('Convolution', 'Deconvolution'):
        return '#FF5050'
    if layertype == 'Pooling':
        return '#FF9900'
    if layertype == 'InnerProduct':
        return '#CC33FF'
    return '#6495ED'


def get_edge_label(layer):
    """What flows out of a layer: the batch size of a data layer, num_output of a learned one."""
    if layer.type == 'Data':
        return 'Batch ' + str(layer.data_param.batch_size)
    if layer.type in ('Convolution', 'Deconvolution'):
        return str(layer.convolution_param.num_output)
    if layer.type == 'InnerProduct':
        return str(layer.inner_product_param.num_output)
    return None


def get_pydot_graph(caffe_net, rankdir, label_edges=True, phase=None, display_lrm=False):
    """A pydot.Dot of the net (layers of another phase left out when phase is given)."""
    import pydot
    graph = pydot.Dot(caffe_net.name if caffe_net.name else 'Default', graph_type='digraph',
                      rankdir=rankdir)
    nodes = {}
    edges = []
    for layer in caffe_net.layer:
        if not _phase_matches(layer, phase):
            continue
        layer_id = layer.name + '_' + layer.type
        in_place = len(layer.bottom) == 1 and len(layer.top) == 1 and layer.bottom[0] == layer.top[0]
        style = dict(NEURON_LAYER_STYLE if in_place else LAYER_STYLE)
        style['fillcolor'] = NEURON_LAYER_STYLE['fillcolor'] if in_place else choose_color_by_layertype(layer.type)
        nodes[layer_id] = pydot.Node(layer_id, label=get_layer_label(layer, rankdir, display_lrm), **style)
        for bottom in layer.bottom:
            nodes.setdefault(bottom + '_blob', pydot.Node(bottom + '_blob', label='"%s"' % bottom, **BLOB_STYLE))
            edges.append((bottom + '_blob', layer_id, None))
        for top in layer.top:
            nodes.setdefault(top + '_blob', pydot.Node(top + '_blob', label='"%s"' % top, **BLOB_STYLE))
            edges.append((layer_id, top + '_blob', get_edge_label(layer) if label_edges else None))
    for node in nodes.values():
        graph.add_node(node)
    for source, target, label in edges:
        if label:
            graph.add_edge(pydot.Edge(nodes[source], nodes[target], label='"%s"' % label))
        else:
            graph.add_edge(pydot.Edge(nodes[source], nodes[target]))
    return graph


def draw_net(caffe_net, rankdir, ext='png', phase=None, display_lrm=False):
    """The graph rendered by Graphviz's dot, as bytes in format ext (png, svg, pdf, ...)."""
    return get_pydot_graph(caffe_net, rankdir, phase=phase, display_lrm=display_lrm).create(format=ext)


def draw_net_to_file(caffe_net, filename, rankdir='LR', phase=None, display_lrm=False):
    """Writes the rendering to filename, in the format its extension names."""
    ext = filename[filename.rfind('.') + 1:]
    with open(filename, 'wb') as out:
        out.write(draw_net(caffe_net, rankdir, ext, phase, display_lrm))
