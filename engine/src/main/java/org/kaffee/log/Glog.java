package org.kaffee.log;

import java.io.PrintStream;
import java.time.LocalDateTime;
import java.time.temporal.ChronoField;
import java.util.function.Consumer;

/**
 * Writes log lines in glog's format, the one Caffe's log parsers and plotting scripts read:
 * {@code I1123 12:00:01.123456  4242 Solver.java:123] message}. Severity letter, month and
 * day, time with microseconds, a numeric thread id padded to five columns, the calling
 * source file and line, then the message. Everything goes to stderr, as glog does.
 */
public final class Glog {
  private static final long PID = ProcessHandle.current().pid();
  private static final StackWalker WALKER = StackWalker.getInstance();
  private static volatile PrintStream out = System.err;
  private static volatile boolean quiet;
  /** Set on a data-parallel replica other than rank 0 (and the threads it starts). */
  private static final InheritableThreadLocal<Boolean> INFO_MUTED =
      new InheritableThreadLocal<>() {
        @Override
        protected Boolean initialValue() {
          return false;
        }
      };
  /**
   * Where the calling thread's lines are copied besides the output: a distributed run's rank 0
   * on an executor sends them to the driver. Null almost everywhere, so ordinary logging pays
   * one thread-local read.
   */
  private static final InheritableThreadLocal<Consumer<String>> TAP = new InheritableThreadLocal<>();

  private Glog() {
  }

  public static void info(String format, Object... args) {
    write('I', format, args);
  }

  public static void warn(String format, Object... args) {
    write('W', format, args);
  }

  public static void error(String format, Object... args) {
    write('E', format, args);
  }

  /** Sends the log elsewhere (tests capture it). */
  public static void setOutput(PrintStream stream) {
    out = stream;
  }

  public static PrintStream output() {
    return out;
  }

  /** Drops INFO lines (warnings and errors still print), for quiet tools and tests. */
  public static void setQuiet(boolean value) {
    quiet = value;
  }

  public static boolean isQuiet() {
    return quiet;
  }

  /**
   * Drops (or prints again) INFO lines written by the calling thread and the threads it starts
   * from now on: only rank 0 of a data-parallel run logs progress, as Caffe's root solver does.
   */
  public static void setInfoMutedOnThisThread(boolean muted) {
    INFO_MUTED.set(muted);
  }

  /**
   * Copies every line the calling thread (and the threads it starts from now on) writes to
   * {@code tap} as well, formatted; null stops copying. The tap must not block for long.
   */
  public static void setTapOnThisThread(Consumer<String> tap) {
    TAP.set(tap);
  }

  /**
   * Writes a line another process already formatted in glog's format (a remote rank 0's),
   * unchanged; an INFO line is dropped when quiet, as a local one would be.
   */
  public static void writeFormatted(String line) {
    if (quiet && line.startsWith("I")) {
      return;
    }
    println(line);
  }

  private static void println(String line) {
    PrintStream stream = out;
    synchronized (stream) {
      stream.println(line);
    }
  }

  private static void write(char severity, String format, Object... args) {
    if ((quiet || INFO_MUTED.get()) && severity == 'I') {
      return;
    }
    String message = args.length == 0 ? format : String.format(format, args);
    StackWalker.StackFrame caller = WALKER.walk(frames -> frames
        .filter(f -> !f.getClassName().equals(Glog.class.getName()))
        .findFirst().orElse(null));
    String where = caller == null ? "unknown:0"
        : caller.getFileName() + ":" + caller.getLineNumber();
    LocalDateTime now = LocalDateTime.now();
    String line = String.format("%c%02d%02d %02d:%02d:%02d.%06d %5d %s] %s",
        severity, now.getMonthValue(), now.getDayOfMonth(), now.getHour(), now.getMinute(),
        now.getSecond(), now.get(ChronoField.MICRO_OF_SECOND), PID, where, message);
    println(line);
    Consumer<String> tap = TAP.get();
    if (tap != null) {
      tap.accept(line);
    }
  }
}
