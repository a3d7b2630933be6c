"""Solvers driven from Python, and a trained net read back through Python and the Java API."""
import os
import shutil
import tempfile
import unittest

import numpy as np
from jpype import JClass

import caffe
from fixtures import PYTHON_TRAIN_NET, write_temp, solver_text

DEPLOY = """name: 'pytrain'
layer { name: 'data' type: 'Input' top: 'data' input_param { shape { dim: 4 dim: 6 } } }
layer { name: 'ip1' type: 'InnerProduct' bottom: 'data' top: 'ip1' inner_product_param { num_output: 5 } }
layer { name: 'square' type: 'Python' bottom: 'ip1' top: 'sq'
  python_param { module: 'pylayers' layer: 'ScaledSquare' param_str: '0.5' } }
layer { name: 'ip2' type: 'InnerProduct' bottom: 'sq' top: 'ip2' inner_product_param { num_output: 3 } }
layer { name: 'prob' type: 'Softmax' bottom: 'ip2' top: 'prob' }
"""


class SolverTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp()
        self.net_file = write_temp(PYTHON_TRAIN_NET, directory=self.dir)
        self.prefix = os.path.join(self.dir, 'snap')

    def tearDown(self):
        shutil.rmtree(self.dir)

    def solver_file(self, extra='', max_iter=20):
        return write_temp(solver_text(self.net_file, self.prefix, max_iter, extra), directory=self.dir)

    def test_every_update_rule_lowers_the_loss(self):
        rules = {caffe.SGDSolver: '', caffe.NesterovSolver: '', caffe.AdaGradSolver: 'momentum: 0',
                 caffe.RMSPropSolver: 'momentum: 0', caffe.AdaDeltaSolver: 'delta: 1e-6 base_lr: 1',
                 caffe.AdamSolver: 'momentum: 0.9 momentum2: 0.999 base_lr: 0.01'}
        for cls, extra in rules.items():
            solver = cls(self.solver_file(extra))
            solver.net.forward()
            first = float(solver.net.blobs['loss'].data)
            solver.step(30)
            self.assertEqual(solver.iter, 30, cls.__name__)
            solver.net.forward()
            self.assertLess(float(solver.net.blobs['loss'].data), first, cls.__name__)
            self.assertEqual(solver.type, cls._type)

    def test_get_solver_takes_the_type_from_the_file(self):
        self.assertEqual(caffe.get_solver(self.solver_file("type: 'Adam'")).type, 'Adam')
        self.assertEqual(caffe.get_solver(self.solver_file()).param.base_lr, np.float32(0.05))

    def test_apply_update_keeps_iter(self):
        solver = caffe.SGDSolver(self.solver_file('momentum: 0'))
        weights = solver.net.params['ip1'][0]
        weights.data[...] = 0
        weights.diff[...] = 1
        solver.apply_update()
        self.assertEqual(solver.iter, 0)
        np.testing.assert_allclose(weights.data, -0.05, rtol=1e-6)

    def test_callbacks_run_around_every_iteration(self):
        solver = caffe.SGDSolver(self.solver_file())
        calls = []
        solver.add_callback(lambda: calls.append('start'),
                            lambda: calls.append(float(np.abs(solver.net.params['ip2'][0].diff).sum()) > 0))
        solver.step(2)
        self.assertEqual(calls, ['start', True, 'start', True])

    def test_snapshot_and_restore_continue_the_same_run(self):
        # the data is drawn from the generator each iteration: restore brings the generator back too
        straight = caffe.SGDSolver(self.solver_file())
        straight.step(10)
        resumed = caffe.SGDSolver(self.solver_file())
        resumed.step(5)
        resumed.snapshot()
        again = caffe.SGDSolver(self.solver_file())
        again.restore(self.prefix + '_iter_5.solverstate')
        self.assertEqual(again.iter, 5)
        again.step(5)
        for name in ('ip1', 'square', 'ip2'):
            for mine, theirs in zip(again.net.params[name], straight.net.params[name]):
                np.testing.assert_array_equal(mine.data, theirs.data)

    def test_a_trained_net_gives_the_same_outputs_in_python_and_java(self):
        solver = caffe.SGDSolver(self.solver_file())
        solver.solve()
        weights = self.prefix + '_iter_20.caffemodel'
        deploy = write_temp(DEPLOY, directory=self.dir)
        inputs = np.random.RandomState(5).randn(4, 6).astype(np.float32)
        net = caffe.Net(deploy, caffe.TEST, weights=weights)
        python_prob = net.forward(data=inputs)['prob'].copy()
        Path = JClass('java.nio.file.Path')
        network = JClass('org.kaffee.api.Kaffee').load(Path.of(deploy, []), Path.of(weights, []))
        network.setInput(inputs.ravel().tolist())
        network.forward()
        java_prob = np.array(network.blob('prob'), dtype=np.float32).reshape(4, 3)
        np.testing.assert_array_equal(python_prob, java_prob)
        self.assertFalse(np.allclose(python_prob, 1.0 / 3))  # trained, not uniform


if __name__ == '__main__':
    unittest.main()
