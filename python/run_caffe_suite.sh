#!/usr/bin/env bash
# Runs BVLC Caffe's own pycaffe tests (python/caffe/test, 52 tests) against this package, unchanged,
# from a Caffe checkout the user points at (a work tree, or a bare/mirror git directory):
#   bash python/run_caffe_suite.sh ~/src/caffe
# test_draw reads the checkout's models/ and examples/, so those are used too. Needs Debian's
# python3-six python3-pydot python3-skimage graphviz besides the package's own set-up.
set -euo pipefail
[[ $# -eq 1 ]] || { echo "usage: $0 CAFFE_CHECKOUT" >&2; exit 2; }
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
caffe="$1"
work=""
if [[ ! -d "$caffe/python/caffe/test" ]]; then
  # a git directory without a work tree: take the three folders from HEAD into a temporary copy
  git -C "$caffe" rev-parse --git-dir >/dev/null 2>&1 || { echo "$0: $caffe is neither a Caffe work tree nor a git directory" >&2; exit 2; }
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  git -C "$caffe" archive HEAD python/caffe/test models examples | tar -x -C "$work"
  caffe="$work"
fi
cd "$caffe/python/caffe/test"
# The tests must import this package, not the checkout's python/caffe: only the test folder is on the path.
PYTHONPATH="$here" GLOG_minloglevel="${GLOG_minloglevel:-1}" "${KAFFEE_PYTHON:-/usr/bin/python3}" \
  -m unittest discover -s . -p 'test_*.py' -t .
