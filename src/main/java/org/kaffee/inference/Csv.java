package org.kaffee.inference;

/** CSV fields as RFC 4180 writes them. */
final class Csv {
  private Csv() {
  }

  static String quote(String field) {
    if (field.indexOf(',') < 0 && field.indexOf('"') < 0 && field.indexOf('\n') < 0) {
      return field;
    }
    return '"' + field.replace("\"", "\"\"") + '"';
  }
}
