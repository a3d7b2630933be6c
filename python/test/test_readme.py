"""python/README.md's examples, run as written: the classification script (on LeNet with fresh
weights instead of trained ones) and the Python layer with its prototxt line."""
import contextlib
import io
import os
import re
import shutil
import sys
import tempfile
import unittest

import numpy as np

import caffe
from fixtures import ROOT, write_temp

with open(os.path.join(ROOT, 'python', 'README.md')) as f:
    README = f.read()
BLOCKS = re.findall(r'```(\w*)\n(.*?)```', README, re.S)


def block(language, starting):
    """The README's one code block in this language that starts with this text."""
    found = [code for lang, code in BLOCKS if lang == language and code.startswith(starting)]
    assert len(found) == 1, 'python/README.md has %d %r blocks starting with %r' % (len(found), language, starting)
    return found[0]


class ReadmeExamplesTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp()

    def tearDown(self):
        shutil.rmtree(self.dir)

    def test_classifying_an_image(self):
        code = block('python', 'import caffe\n\nnet = caffe.Net(')
        deploy = os.path.join(ROOT, 'models', 'lenet', 'lenet_deploy.prototxt')
        weights = os.path.join(self.dir, 'lenet.caffemodel')
        caffe.Net(deploy, caffe.TEST).save(weights)  # untrained: the script's steps are what is checked
        code = code.replace("'runs/lenet/lenet_iter_10000.caffemodel'", repr(weights))
        code = code.replace("'models/", repr(os.path.join(ROOT, 'models', ''))[:-1])
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            exec(compile(code, 'python/README.md', 'exec'), {})
        label, probability = printed.getvalue().rsplit(None, 1)
        with open(os.path.join(ROOT, 'models', 'lenet', 'labels.txt')) as f:
            self.assertIn(label, f.read().split('\n'))
        self.assertTrue(0.1 <= float(probability) <= 1, probability)  # the largest of 10 probabilities

    def test_the_python_layer_and_its_prototxt_line(self):
        with open(os.path.join(self.dir, 'my_layers.py'), 'w') as f:
            f.write(block('python', '# my_layers.py'))
        layer = block('', 'layer { name: "scale" type: "Python"')
        net_file = write_temp("force_backward: true layer { name: 'in' type: 'Input' top: 'ip1' "
                              "input_param { shape { dim: 2 dim: 3 } } }\n" + layer, directory=self.dir)
        sys.path.insert(0, self.dir)
        try:
            net = caffe.Net(net_file, caffe.TRAIN)
        finally:
            sys.path.remove(self.dir)
        values = np.arange(6, dtype=np.float32).reshape(2, 3)
        np.testing.assert_array_equal(net.forward(ip1=values)['scaled'], 0.5 * values)
        net.blobs['scaled'].diff[...] = 4
        net.backward()
        np.testing.assert_array_equal(net.blobs['ip1'].diff, np.full((2, 3), 2, np.float32))


if __name__ == '__main__':
    unittest.main()
