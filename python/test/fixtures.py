"""Shared helpers of the package's tests: prototxts written to temporary files, the repository root."""
import os
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HERE = os.path.dirname(os.path.abspath(__file__))


def write_temp(text, suffix='.prototxt', directory=None):
    """A file holding text; the caller removes it (or its directory)."""
    handle, name = tempfile.mkstemp(suffix=suffix, dir=directory)
    with os.fdopen(handle, 'w') as f:
        f.write(text)
    return name


# 2 x 3 inputs into an InnerProduct of 4 outputs: small enough to check by hand.
IP_NET = """name: 'ipnet' force_backward: true
layer { name: 'data' type: 'Input' top: 'data' input_param { shape { dim: 2 dim: 3 } } }
layer { name: 'ip' type: 'InnerProduct' bottom: 'data' top: 'ip'
  inner_product_param { num_output: 4 weight_filler { type: 'gaussian' std: 1 }
                        bias_filler { type: 'constant' value: 0.5 } } }
"""

# A Python layer between two learned layers, trained on DummyData with fixed labels.
PYTHON_TRAIN_NET = """name: 'pytrain'
layer { name: 'data' type: 'DummyData' top: 'data' top: 'label'
  dummy_data_param { shape { dim: 8 dim: 6 } shape { dim: 8 }
    data_filler { type: 'gaussian' std: 1 } data_filler { type: 'constant' value: 1 } } }
layer { name: 'ip1' type: 'InnerProduct' bottom: 'data' top: 'ip1'
  inner_product_param { num_output: 5 weight_filler { type: 'xavier' } } }
layer { name: 'square' type: 'Python' bottom: 'ip1' top: 'sq'
  python_param { module: 'pylayers' layer: 'ScaledSquare' param_str: '0.5' } }
layer { name: 'ip2' type: 'InnerProduct' bottom: 'sq' top: 'ip2'
  inner_product_param { num_output: 3 weight_filler { type: 'xavier' } } }
layer { name: 'loss' type: 'SoftmaxWithLoss' bottom: 'ip2' bottom: 'label' top: 'loss' }
"""


def solver_text(net_file, prefix, max_iter=20, extra=''):
    return ("net: '%s' base_lr: 0.05 momentum: 0.9 lr_policy: 'fixed' display: 5 "
            "max_iter: %d snapshot_prefix: '%s' random_seed: 1701 %s" % (net_file, max_iter, prefix, extra))
