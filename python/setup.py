"""Builds the package with caffe_pb2.py generated from the project's schema (../proto/caffe.proto);
the metadata is in pyproject.toml."""
import importlib.util
import os

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = os.path.dirname(os.path.abspath(__file__))
SCHEMA = os.path.join(os.path.dirname(HERE), 'proto', 'caffe.proto')


def _generator():
    """caffe/proto/_generate.py loaded on its own: importing the package would start the engine."""
    spec = importlib.util.spec_from_file_location('_generate', os.path.join(HERE, 'caffe', 'proto', '_generate.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class BuildWithSchema(build_py):
    def run(self):
        super().run()
        _generator().generate(SCHEMA, os.path.join(self.build_lib, 'caffe', 'proto'))


setup(cmdclass={'build_py': BuildWithSchema})
