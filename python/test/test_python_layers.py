"""Python layers inside nets built from Python: gradients, params, phase, errors."""
import os
import traceback
import unittest

import numpy as np

import caffe
from fixtures import write_temp

SQUARE_NET = """name: 'square' force_backward: true
layer { name: 'data' type: 'Input' top: 'data' input_param { shape { dim: 2 dim: 3 dim: 2 } } }
layer { name: 'sq' type: 'Python' bottom: 'data' top: 'sq'
  python_param { module: 'pylayers' layer: 'ScaledSquare' param_str: '1.5' } }
"""


def net_from(text, phase=caffe.TRAIN):
    name = write_temp(text)
    try:
        return caffe.Net(name, phase)
    finally:
        os.remove(name)


class GradientTest(unittest.TestCase):
    """Caffe's GradientChecker settings: step 1e-2, threshold 1e-3 relative to max(|a|, |b|, 1)."""
    STEP, THRESHOLD = 1e-2, 1e-3

    def setUp(self):
        self.net = net_from(SQUARE_NET)
        rng = np.random.RandomState(1701)
        self.net.blobs['data'].data[...] = rng.randn(2, 3, 2)
        self.weights = rng.randn(2, 3, 2).astype(np.float32)  # objective: sum(weights * top)

    def objective(self):
        self.net.forward()
        return float(np.sum(self.weights.astype(np.float64) * self.net.blobs['sq'].data))

    def assert_close(self, computed, estimated):
        scale = max(abs(computed), abs(estimated), 1.0)
        self.assertLessEqual(abs(computed - estimated), self.THRESHOLD * scale,
                             'computed %g, estimated %g' % (computed, estimated))

    def analytic(self):
        self.net.forward()
        self.net.clear_param_diffs()
        self.net.blobs['sq'].diff[...] = self.weights
        self.net.backward()
        return self.net.blobs['data'].diff.copy(), self.net.params['sq'][0].diff.copy()

    def numeric(self, values, index):
        original = values[index]
        values[index] = original + self.STEP
        plus = self.objective()
        values[index] = original - self.STEP
        minus = self.objective()
        values[index] = original
        return (plus - minus) / (2 * self.STEP)

    def test_bottom_gradient_matches_finite_differences(self):
        bottom_diff, _ = self.analytic()
        data = self.net.blobs['data'].data
        for index in np.ndindex(data.shape):
            self.assert_close(float(bottom_diff[index]), self.numeric(data, index))

    def test_param_gradient_matches_finite_differences(self):
        _, param_diff = self.analytic()
        offset = self.net.params['sq'][0].data
        self.assert_close(float(param_diff[0]), self.numeric(offset, (0,)))
        self.assertAlmostEqual(float(param_diff[0]), float(self.weights.sum()), places=4)

    def test_forward_values(self):
        x = self.net.blobs['data'].data.copy()
        np.testing.assert_allclose(self.net.forward()['sq'], 1.5 * x ** 2 + 0.25, rtol=1e-6)


class LayerStateTest(unittest.TestCase):
    NET = """name: 'phase'
layer { name: 'p' type: 'Python' top: 'phase' top: 'value'
  python_param { module: 'pylayers' layer: 'PhaseAndParam' param_str: '2.5' } }
"""

    def test_phase_and_param_str_reach_the_layer(self):
        for phase in (caffe.TRAIN, caffe.TEST):
            out = net_from(self.NET, phase).forward()
            self.assertEqual(float(out['phase'][0]), phase)
            self.assertEqual(float(out['value'][0]), 2.5)

    def test_python_layer_params_are_saved_and_loaded(self):
        net = net_from(SQUARE_NET)
        net.params['sq'][0].data[...] = 7
        weights = write_temp('', suffix='.caffemodel')
        try:
            net.save(weights)
            other = net_from(SQUARE_NET)
            self.assertEqual(float(other.params['sq'][0].data[0]), 0.25)
            other.copy_from(weights)
            self.assertEqual(float(other.params['sq'][0].data[0]), 7)
        finally:
            os.remove(weights)


class ErrorTest(unittest.TestCase):
    def failing_net(self, layer):
        return SQUARE_NET.replace("'ScaledSquare' param_str: '1.5'", "'%s'" % layer)

    def test_forward_error_comes_back_as_the_python_exception(self):
        net = net_from(self.failing_net('FailsInForward'))
        try:
            net.forward()
            self.fail('no exception')
        except ValueError as error:
            self.assertEqual(str(error), 'bad value 42')
            frames = [frame.f_code.co_name for frame, _ in traceback.walk_tb(error.__traceback__)]
            self.assertEqual(frames[-1], 'forward')  # the layer's own line, where it raised

    def test_setup_error_comes_back_from_the_constructor(self):
        with self.assertRaises(KeyError):
            net_from(self.failing_net('FailsInSetup'))

    def test_missing_module_is_an_import_error(self):
        with self.assertRaises(ImportError):
            net_from(SQUARE_NET.replace("module: 'pylayers'", "module: 'no_such_module_here'"))

    def test_the_net_runs_again_after_an_error(self):
        net = net_from(self.failing_net('FailsInForward'))
        self.assertRaises(ValueError, net.forward)
        good = net_from(SQUARE_NET)
        self.assertIn('sq', good.forward())

    def test_engine_errors_are_kaffee_errors_naming_the_blob(self):
        net = net_from(SQUARE_NET)
        with self.assertRaises(caffe.KaffeeError) as caught:
            net.forward(start='sq', end='data')
        self.assertIn('layer range', str(caught.exception))


if __name__ == '__main__':
    unittest.main()
