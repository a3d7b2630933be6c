"""Starts the Kaffee engine in this process, once, through JPype.

Everything that knows where the engine's jars are or how the JVM is started lives here, so a
change of the build layout touches one function (`engine_classpath`).
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
    """The checkout this package lies in (python/caffe/_jvm.py -> the root)."""
    return os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def engine_classpath():
    """The engine's jar (its manifest names its libraries in lib/ beside it) and extra jars.

    KAFFEE_JAR overrides the jar (a class path, for the test suite's compiled classes);
    KAFFEE_CLASSPATH adds jars (a plugin's dependencies), as for tools/kaffee.
    """
    jar = os.environ.get('KAFFEE_JAR')
    if jar:
        engine = [p for p in jar.split(os.pathsep) if p]
    else:
        target = os.path.join(repository_root(), 'cli', 'target')
        built = [j for j in glob.glob(os.path.join(target, 'kaffee-*.jar'))
                 if not j.endswith(('-sources.jar', '-tests.jar'))]
        if not built:
            raise ImportError('caffe: the Kaffee engine is not built: no kaffee-*.jar in %s; '
                              'run "mvn -B -DskipTests package" in %s (or set KAFFEE_JAR)'
                              % (target, repository_root()))
        engine = [max(built, key=os.path.getmtime)]
    extra = [p for p in os.environ.get('KAFFEE_CLASSPATH', '').split(os.pathsep) if p]
    return engine + [JPYPE_JAR] + extra


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
