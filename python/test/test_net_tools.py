"""forward_backward_all, blob_loss_weights, weights files, caffe.Timer, and the module's logging
switches, against hand-computed values."""
import os
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

import numpy as np

import caffe
from fixtures import IP_NET, ROOT, write_temp

LOSSES_NET = """name: 'losses'
layer { name: 'data' type: 'Input' top: 'data' top: 'label'
  input_param { shape { dim: 2 dim: 3 } shape { dim: 2 } } }
layer { name: 'ip' type: 'InnerProduct' bottom: 'data' top: 'ip' inner_product_param { num_output: 3 } }
layer { name: 'loss' type: 'SoftmaxWithLoss' bottom: 'ip' bottom: 'label' top: 'loss' }
layer { name: 'ip2' type: 'InnerProduct' bottom: 'data' top: 'ip2' loss_weight: 0.5
  inner_product_param { num_output: 2 } }
"""


def net_from(text):
    name = write_temp(text)
    try:
        return caffe.Net(name, caffe.TEST)
    finally:
        os.remove(name)


class ForwardBackwardAllTest(unittest.TestCase):
    def test_outputs_and_input_gradients_over_padded_batches(self):
        net = net_from(IP_NET)  # batches of 2: 5 items make three, the last padded
        rng = np.random.RandomState(7)
        inputs = rng.randn(5, 3).astype(np.float32)
        top_diffs = rng.randn(5, 4).astype(np.float32)
        outs, grads = net.forward_backward_all(diffs=['ip'], data=inputs, ip=top_diffs)
        weights, bias = (p.data for p in net.params['ip'])
        self.assertEqual(set(outs), {'ip'})
        self.assertEqual(set(grads), {'data', 'ip'})
        np.testing.assert_allclose(outs['ip'], inputs.dot(weights.T) + bias, rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(grads['data'], top_diffs.dot(weights), rtol=1e-5, atol=1e-6)
        np.testing.assert_array_equal(grads['ip'], top_diffs)

    def test_the_longer_series_sets_the_passes_as_in_caffe(self):
        net = net_from(IP_NET)  # 5 inputs make three forward batches, 3 diffs only two backward ones
        rng = np.random.RandomState(8)
        inputs = rng.randn(5, 3).astype(np.float32)
        top_diffs = rng.randn(3, 4).astype(np.float32)
        outs, grads = net.forward_backward_all(data=inputs, ip=top_diffs)
        weights, bias = (p.data for p in net.params['ip'])
        self.assertEqual(len(outs['ip']), 5)
        np.testing.assert_allclose(outs['ip'], inputs.dot(weights.T) + bias, rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(grads['data'][:3], top_diffs.dot(weights), rtol=1e-5, atol=1e-6)


class BlobLossWeightsTest(unittest.TestCase):
    def test_loss_layers_weigh_their_top_by_one_and_loss_weight_sets_any_top(self):
        net = net_from(LOSSES_NET)
        expected = dict.fromkeys(net._blob_names, 0.0)
        expected.update(loss=1.0, ip2=0.5)
        self.assertEqual(list(net.blob_loss_weights.items()), [(n, expected[n]) for n in net._blob_names])
        self.assertEqual(net._blob_loss_weights, [expected[n] for n in net._blob_names])


class WeightsFileTest(unittest.TestCase):
    def test_hdf5_weights_are_recognised_by_content_whatever_their_name(self):
        directory = tempfile.mkdtemp()
        try:
            model = write_temp(IP_NET, directory=directory)
            net = caffe.Net(model, caffe.TEST)
            weights = os.path.join(directory, 'weights.caffemodel')
            net.save_hdf5(weights)
            loaded = caffe.Net(model, caffe.TEST, weights=weights)
            for mine, theirs in zip(net.params['ip'], loaded.params['ip']):
                np.testing.assert_array_equal(mine.data, theirs.data)
        finally:
            shutil.rmtree(directory)


LOGGING = """
import sys, caffe
caffe.Net(sys.argv[1], caffe.TEST)
sys.stderr.write('MARK\\n')
sys.stderr.flush()
caffe.init_log(0)
caffe.Net(sys.argv[1], caffe.TEST)
caffe.set_mode_gpu()
caffe.set_device(1)
print(caffe.Net(sys.argv[1], caffe.TEST).forward()['ip'].shape)
"""


class LoggingTest(unittest.TestCase):
    def test_glog_minloglevel_init_log_and_one_warning_for_the_gpu(self):
        model = write_temp(IP_NET)
        try:
            env = dict(os.environ, GLOG_minloglevel='1', PYTHONPATH=os.path.join(ROOT, 'python'))
            run = subprocess.run([sys.executable, '-c', LOGGING, model], env=env, stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True, timeout=300)
        finally:
            os.remove(model)
        self.assertEqual(run.returncode, 0, run.stderr[-3000:])
        quiet, loud = run.stderr.split('MARK\n')
        self.assertEqual(quiet, '', 'GLOG_minloglevel=1 keeps INFO lines quiet')
        self.assertIn('Network initialization done.', loud, 'init_log(0) turns them on')
        warnings = [line for line in loud.splitlines() if line.startswith('W')]
        self.assertEqual(len(warnings), 1, warnings)
        self.assertTrue(warnings[0].endswith('] set_mode_gpu: Kaffee computes on the CPU; continuing on the CPU'))
        self.assertEqual(run.stdout, '(2, 4)\n', 'the script goes on, on the CPU')


class TimerTest(unittest.TestCase):
    def test_ms_from_start_to_stop_as_caffe_reads_it(self):
        timer = caffe.Timer()
        self.assertEqual(timer.ms, 0, 'never started')
        timer.start()
        time.sleep(0.03)
        timer.start()  # already running: changes nothing
        first = timer.ms  # reading stops it
        self.assertGreaterEqual(first, 30)
        time.sleep(0.02)
        self.assertEqual(timer.ms, first, 'a stopped timer keeps its reading')
        timer.start()
        time.sleep(0.05)
        timer.stop()
        self.assertGreaterEqual(timer.ms, 50)


if __name__ == '__main__':
    unittest.main()
