package org.kaffee.inference;

/** CSV fields as RFC 4180 writes them. */
public final class Csv {
  private Csv() {
  }

  public static String quote(String field) {
    if (field.indexOf(',') < 0 && field.indexOf('"') < 0 && field.indexOf('\n') < 0) {
      return field;
    }
    return '"' + field.replace("\"", "\"\"") + '"';
  }
}
