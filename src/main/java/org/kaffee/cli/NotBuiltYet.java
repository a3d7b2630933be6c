package org.kaffee.cli;

import org.kaffee.core.KaffeeException;

/** The error of a command whose engine is not part of this build yet. */
final class NotBuiltYet {
  private NotBuiltYet() {
  }

  static KaffeeException error(String command) {
    return new KaffeeException("'" + command + "' is not implemented in this build of Kaffee yet");
  }
}
