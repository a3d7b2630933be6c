"""Writes caffe_pb2.py from the project's proto/caffe.proto with Debian's protoc, which matches
Debian's python3-protobuf. Used at import from a checkout and by setup.py when installing; it
imports nothing of the package, so setup.py can load it without starting the engine."""
import os
import subprocess


def generate(schema, out_dir):
    """protoc --python_out=out_dir schema; ImportError with protoc's complaint when it fails."""
    try:
        subprocess.run(['protoc', '--proto_path=' + os.path.dirname(schema), '--python_out=' + out_dir, schema],
                       check=True, stderr=subprocess.PIPE)
    except (OSError, subprocess.CalledProcessError) as e:
        detail = e.stderr.decode(errors='replace').strip() if getattr(e, 'stderr', None) else str(e)
        raise ImportError('caffe.proto: cannot generate caffe_pb2 from %s (%s); '
                          'apt-get install protobuf-compiler' % (schema, detail))
