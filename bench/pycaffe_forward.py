"""Python's side of bench/pycaffe_forward.sh: caffe.Net.forward() on a deploy net, and the cost
of one call of a Python layer (an Input net with one Python layer against the Input alone), and
of one access to Blob.data."""
import os
import sys
import tempfile
import time

import numpy as np

import caffe

INPUT_ONLY = """name: 'one'
layer { name: 'data' type: 'Input' top: 'data' input_param { shape { dim: 1 dim: 8 } } }
"""
ECHO = "layer { name: 'echo' type: 'Python' bottom: 'data' top: 'out' python_param { module: 'pylayers' layer: 'Echo' } }"


def mean_ms(run, iterations):
    for _ in range(max(5, iterations // 5)):
        run()
    start = time.perf_counter()
    for _ in range(iterations):
        run()
    return (time.perf_counter() - start) * 1e3 / iterations


def small_net(text):
    handle, name = tempfile.mkstemp(suffix='.prototxt')
    with os.fdopen(handle, 'w') as f:
        f.write(text)
    net = caffe.Net(name, caffe.TEST)
    os.remove(name)
    return net


def main(model, iterations):
    net = caffe.Net(model, caffe.TEST)
    net.blobs[net.inputs[0]].data[...] = np.random.RandomState(0).rand(*net.blobs[net.inputs[0]].shape)
    print('python_forward_ms %.3f' % mean_ms(net.forward, iterations))
    python_layer = small_net(INPUT_ONLY + ECHO)
    input_only = small_net(INPUT_ONLY)
    calls = 20 * iterations
    # alternating rounds, the best of each: the machine's noise only ever adds time
    rounds = [(mean_ms(python_layer.forward, calls), mean_ms(input_only.forward, calls)) for _ in range(5)]
    with_python = min(r[0] for r in rounds)
    input_alone = min(r[1] for r in rounds)
    print('python_layer_call_us %.1f' % ((with_python - input_alone) * 1e3))
    print('net_forward_input_only_us %.1f' % (input_alone * 1e3))
    blob = net.blobs[net.outputs[0]]
    accesses = 1000 * iterations
    print('blob_data_access_us %.2f' % (mean_ms(lambda: blob.data, accesses) * 1e3))


if __name__ == '__main__':
    main(sys.argv[1], int(sys.argv[2]))
