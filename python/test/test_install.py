"""`pip install ./python` offline (Debian's pip and setuptools): the installed package imports,
finds the engine through KAFFEE_HOME and says in one line what to set when nothing gives a jar."""
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

from fixtures import IP_NET, ROOT

FORWARD = """
import caffe
net = caffe.Net('net.prototxt', caffe.TEST)
net.blobs['data'].data[...] = 1
print(caffe.__file__)
print(caffe.proto.caffe_pb2.__file__)
print(net.forward()['ip'].shape)
"""


class PipInstallTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        """Installs from a copy of python/ and proto/, so the build's files stay out of the checkout
        and caffe_pb2 must come from the schema."""
        cls.dir = tempfile.mkdtemp()
        source = os.path.join(cls.dir, 'src')
        shutil.copytree(os.path.join(ROOT, 'proto'), os.path.join(source, 'proto'))
        shutil.copytree(os.path.join(ROOT, 'python'), os.path.join(source, 'python'),
                        ignore=shutil.ignore_patterns('__pycache__', 'caffe_pb2.py', 'test', 'build', '*.egg-info'))
        cls.site = os.path.join(cls.dir, 'site')
        cls.pip = subprocess.run([sys.executable, '-m', 'pip', 'install', '--no-build-isolation', '--no-index',
                                  '--target', cls.site, './python'], cwd=source, stdout=subprocess.PIPE,
                                 stderr=subprocess.STDOUT, text=True, timeout=300)
        with open(os.path.join(cls.dir, 'net.prototxt'), 'w') as f:
            f.write(IP_NET)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir)

    def run_python(self, code, **variables):
        """A child interpreter that sees only the installed package, outside the checkout."""
        env = {k: v for k, v in os.environ.items() if k not in ('KAFFEE_JAR', 'KAFFEE_HOME', 'PYTHONPATH')}
        env.update(variables, PYTHONPATH=self.site, GLOG_minloglevel='1')
        return subprocess.run([sys.executable, '-c', code], cwd=self.dir, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, timeout=300)

    def test_pip_installs_the_package_with_its_generated_schema(self):
        self.assertEqual(self.pip.returncode, 0, self.pip.stdout[-3000:])
        self.assertTrue(os.path.isfile(os.path.join(self.site, 'caffe', 'proto', 'caffe_pb2.py')))

    def test_the_installed_package_runs_a_net_with_kaffee_home(self):
        run = self.run_python(FORWARD, KAFFEE_HOME=ROOT)
        self.assertEqual(run.returncode, 0, run.stderr[-3000:])
        self.assertEqual(run.stdout.splitlines(), [os.path.join(self.site, 'caffe', '__init__.py'),
                                                   os.path.join(self.site, 'caffe', 'proto', 'caffe_pb2.py'),
                                                   '(2, 4)'])

    def test_without_a_jar_the_import_error_names_both_variables(self):
        run = self.run_python('import caffe')
        self.assertNotEqual(run.returncode, 0)
        last = run.stderr.strip().splitlines()[-1]
        self.assertEqual(last, 'ImportError: caffe: cannot find the Kaffee engine: this package (%s) is not in a '
                               'Kaffee checkout; set KAFFEE_HOME to a built checkout (its cli/target/kaffee-*.jar) '
                               'or KAFFEE_JAR to the jar' % os.path.join(self.site, 'caffe'))

    def test_a_kaffee_home_without_a_jar_is_named(self):
        run = self.run_python('import caffe', KAFFEE_HOME=self.dir)
        self.assertNotEqual(run.returncode, 0)
        self.assertIn('ImportError: caffe: the Kaffee engine is not built: KAFFEE_HOME=%s holds no '
                      'cli/target/kaffee-*.jar' % self.dir, run.stderr)


if __name__ == '__main__':
    unittest.main()
