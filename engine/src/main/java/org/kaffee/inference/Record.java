package org.kaffee.inference;

import org.kaffee.data.Image;

/**
 * One input to classify: its name (a file, a list line, a database key), its label (-1 when
 * unknown), and its decoded image, or the reason it could not be decoded.
 */
public record Record(String name, int label, Image image, String error) {
  static Record decoded(String name, int label, Image image) {
    return new Record(name, label, image, null);
  }

  static Record failed(String name, int label, String error) {
    return new Record(name, label, null, error);
  }
}
