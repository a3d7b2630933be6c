"""The `kaffee` command with Python layers: tools/kaffee runs `python3 -m caffe._cli ARGS` for
a net with `type: "Python"` layers, so they run in this interpreter (the modules found on
PYTHONPATH, as Caffe finds them). Same flags, output and exit codes as the plain command."""
import sys


def main(args):
    from . import _layer
    _layer.print_tracebacks[0] = any(a in ('--verbose', '-verbose') for a in args)
    import caffe  # starts the engine and installs the Python layer host
    from jpype import JClass, JString
    code = int(JClass('org.kaffee.cli.Main').run([JString(a) for a in args]))
    sys.stderr.flush()
    return code


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
