package org.kaffee.core;

/**
 * An error the user can act on: a bad file, flag, shape or parameter. Its message is
 * one readable line naming what is at fault (file:line:column, layer, blob, flag);
 * the command line prints that line and exits non-zero, with a stack trace only
 * under --verbose.
 */
public class KaffeeException extends RuntimeException {
  public KaffeeException(String message) {
    super(message);
  }

  public KaffeeException(String message, Throwable cause) {
    super(message, cause);
  }

  /** Throws a KaffeeException with a formatted message when the condition fails. */
  public static void check(boolean condition, String format, Object... args) {
    if (!condition) {
      throw new KaffeeException(String.format(format, args));
    }
  }
}
