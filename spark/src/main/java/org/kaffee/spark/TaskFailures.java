package org.kaffee.spark;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One readable line from a failed Spark stage: Spark wraps a task's exception in a job-abort
 * message that carries the remote class name, its message and a stack trace; the user wants
 * the message (which already names the worker for Kaffee's own errors).
 */
final class TaskFailures {
  /** "org.kaffee.x.SomeException: the message": the line where Spark's text quotes the task's exception. */
  private static final Pattern REMOTE = Pattern.compile(
      "^(?:[a-zA-Z_$][\\w$]*\\.)+[A-Z][\\w$]*(?:Exception|Error): (.+)");
  private static final Pattern LOST = Pattern.compile("(?i)most recent failure(?: reason)?: (.+)");

  private TaskFailures() {
  }

  static String describe(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof org.kaffee.core.KaffeeException && t.getMessage() != null) {
        return t.getMessage();
      }
    }
    String text = e.getMessage() == null ? e.toString() : e.getMessage();
    for (String line : (Iterable<String>) text.lines()::iterator) {
      Matcher remote = REMOTE.matcher(line);
      if (remote.find()) {
        return remote.group(1).trim();
      }
    }
    String summary = text.lines().filter(l -> !l.isBlank()).findFirst().orElse(e.toString());
    Matcher lost = LOST.matcher(summary);
    return lost.find() ? lost.group(1).trim() : summary.trim();
  }
}
