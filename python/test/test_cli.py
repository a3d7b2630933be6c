"""tools/kaffee on nets with Python layers: the launcher runs them inside Python."""
import os
import shutil
import subprocess
import tempfile
import unittest

from fixtures import HERE, PYTHON_TRAIN_NET, ROOT, solver_text, write_temp

KAFFEE = os.path.join(ROOT, 'tools', 'kaffee')


class KaffeeCommandTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp()
        self.env = dict(os.environ, PYTHONPATH=HERE, GLOG_minloglevel='0')

    def tearDown(self):
        shutil.rmtree(self.dir)

    def kaffee(self, *args):
        return subprocess.run([KAFFEE] + list(args), cwd=self.dir, env=self.env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=300)

    def solver(self, net_text, **kwargs):
        net = write_temp(net_text, directory=self.dir)
        return write_temp(solver_text(net, os.path.join(self.dir, 'snap'), **kwargs), directory=self.dir)

    def test_train_runs_the_python_layer_and_snapshots(self):
        run = self.kaffee('train', '--solver=' + self.solver(PYTHON_TRAIN_NET))
        self.assertEqual(run.returncode, 0, run.stderr[-2000:])
        self.assertIn('Optimization Done.', run.stderr)
        self.assertIn('Iteration 20, loss = ', run.stderr)
        self.assertTrue(os.path.isfile(os.path.join(self.dir, 'snap_iter_20.caffemodel')))

    def test_time_and_test_run_python_layers(self):
        net = write_temp(PYTHON_TRAIN_NET, directory=self.dir)
        for command in ('time', 'test'):
            run = self.kaffee(command, '--model=' + net, '--iterations=2')
            self.assertEqual(run.returncode, 0, run.stderr[-2000:])

    def test_a_python_error_is_one_line_and_a_non_zero_exit(self):
        failing = PYTHON_TRAIN_NET.replace("'ScaledSquare' param_str: '0.5'", "'FailsInForward'")
        run = self.kaffee('train', '--solver=' + self.solver(failing))
        self.assertEqual(run.returncode, 1)
        last = run.stderr.strip().splitlines()[-1]
        self.assertEqual(last, 'kaffee train: error: layer square (Python pylayers.FailsInForward): '
                               'forward: ValueError: bad value 42')
        self.assertNotIn('Traceback', run.stderr)
        self.assertEqual([f for f in os.listdir(self.dir) if f.startswith('snap')], [])

    def test_verbose_adds_the_python_traceback(self):
        failing = PYTHON_TRAIN_NET.replace("'ScaledSquare' param_str: '0.5'", "'FailsInForward'")
        run = self.kaffee('train', '--verbose', '--solver=' + self.solver(failing))
        self.assertEqual(run.returncode, 1)
        self.assertIn('Traceback (most recent call last)', run.stderr)
        self.assertIn("raise ValueError('bad value %d' % 42)", run.stderr)

    def test_workers_are_refused_in_one_line(self):
        run = self.kaffee('train', '--workers=2', '--solver=' + self.solver(PYTHON_TRAIN_NET))
        self.assertEqual(run.returncode, 1)
        last = run.stderr.strip().splitlines()[-1]
        self.assertIn('Python layer pylayers.ScaledSquare cannot run in 2 data-parallel workers', last)

    def test_spark_is_refused_in_one_line(self):
        run = self.kaffee('train', '--spark-master=local[2]', '--workers=2',
                          '--solver=' + self.solver(PYTHON_TRAIN_NET))
        self.assertEqual(run.returncode, 1)
        last = run.stderr.strip().splitlines()[-1]
        self.assertEqual(last, 'kaffee train: error: layer square (Python pylayers.ScaledSquare) cannot run on '
                               'Spark: its executors run Java layers only; train it without --spark-master (one '
                               'worker), or give it a Java plugin layer (README: Custom layers as plugins)')
        self.assertNotIn('Traceback', run.stderr)

    def test_plain_nets_do_not_start_python(self):
        net = write_temp(PYTHON_TRAIN_NET.replace("type: 'Python'", "type: 'AbsVal'"), directory=self.dir)
        check = subprocess.run([os.path.join(ROOT, 'tools', 'needs_python'), 'time', '--model', net])
        self.assertEqual(check.returncode, 1)
        check = subprocess.run([os.path.join(ROOT, 'tools', 'needs_python'), 'train',
                                '--solver=' + self.solver(PYTHON_TRAIN_NET)], cwd=self.dir)
        self.assertEqual(check.returncode, 0)


if __name__ == '__main__':
    unittest.main()
