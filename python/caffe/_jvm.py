"""Starts the Kaffee engine in this process, once, through JPype.

Everything that knows where the engine's jars are or how the JVM is started lives here, so a
change of the build layout touches one function (`engine_jar`).
"""
import glob
import os
import threading

import jpype

# The same JVM options as tools/kaffee: lmdbjava reaches into java.nio, deep nets recurse.
JVM_OPTIONS = (
    '--add-opens=java.base/java.nio=ALL-UNNAMED',
    '--add-opens=java.base/sun.nio.ch=ALL-UNNAMED',
    '-XX:+UseParallelGC',
    '-Xss16m',
)
# JPype's own support classes; Debian installs them outside the Python package.
JPYPE_JAR = '/usr/share/java/org.jpype.jar'

_lock = threading.Lock()


def repository_root():
    """The checkout this package lies in (python/caffe/_jvm.py -> the root), if it lies in one."""
    return os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def engine_jar():
    """The engine's jar: KAFFEE_JAR, else the newest cli/target/kaffee-*.jar of KAFFEE_HOME or,
    without it, of the checkout this package lies in (an installed package needs one of the two)."""
    jar = os.environ.get('KAFFEE_JAR')
    if jar:
        return [p for p in jar.split(os.pathsep) if p]
    home = os.environ.get('KAFFEE_HOME')
    root = home or repository_root()
    if not home and not os.path.isfile(os.path.join(root, 'tools', 'kaffee')):
        raise ImportError('caffe: cannot find the Kaffee engine: this package (%s) is not in a Kaffee '
                          'checkout; set KAFFEE_HOME to a built checkout (its cli/target/kaffee-*.jar) '
                          'or KAFFEE_JAR to the jar' % os.path.dirname(os.path.abspath(__file__)))
    target = os.path.join(root, 'cli', 'target')
    built = [j for j in glob.glob(os.path.join(target, 'kaffee-*.jar'))
             if not j.endswith(('-sources.jar', '-tests.jar'))]
    if not built:
        where = 'KAFFEE_HOME=%s holds' % home if home else 'this checkout (%s) holds' % root
        raise ImportError('caffe: the Kaffee engine is not built: %s no cli/target/kaffee-*.jar; run '
                          '"mvn -B -DskipTests package" there, or set KAFFEE_HOME to a built checkout or '
                          'KAFFEE_JAR to the jar' % where)
    return [max(built, key=os.path.getmtime)]


def engine_classpath():
    """The engine's jar (its manifest names its libraries in lib/ beside it) and extra jars.

    KAFFEE_JAR may also be a class path (the test suite's compiled classes); KAFFEE_CLASSPATH
    adds jars (a plugin's dependencies), as for tools/kaffee.
    """
    extra = [p for p in os.environ.get('KAFFEE_CLASSPATH', '').split(os.pathsep) if p]
    return engine_jar() + [JPYPE_JAR] + extra


def start():
    """Starts the JVM unless it runs already; returns nothing, fails with ImportError."""
    with _lock:
        if jpype.isJVMStarted():
            return
        if not os.path.isfile(JPYPE_JAR):
            raise ImportError('caffe: %s is missing: apt-get install python3-jpype' % JPYPE_JAR)
        options = list(JVM_OPTIONS)
        options.append('-Dkaffee.plugins=' + os.environ.get('KAFFEE_PLUGINS', ''))
        options.extend(os.environ.get('KAFFEE_JAVA_OPTS', '').split())
        jpype.startJVM(jpype.getDefaultJVMPath(), *options, classpath=engine_classpath(),
                       convertStrings=False)
