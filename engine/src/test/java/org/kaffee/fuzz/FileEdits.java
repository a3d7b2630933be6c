package org.kaffee.fuzz;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Damage to a valid file, read from a fuzz input as an edit script, so the fuzzer reaches the
 * structures past a format's first check: records of {@value #RECORD} bytes, each an operation,
 * a 32-bit position (modulo the file's length) and a 16-bit value, all little-endian:
 * <ul>
 *   <li>0: truncate the file at the position (a cut copy, a full disk);</li>
 *   <li>1: set one byte (a bit flip inside a record);</li>
 *   <li>2: set a 16-bit field at an even position (LMDB's page bounds, node offsets and key sizes);</li>
 *   <li>3: set a 64-bit field at a multiple of 8 (page numbers, roots, file offsets, block handles):
 *       page-level damage, such as a branch pointing past the end or back into its own tree.</li>
 * </ul>
 */
final class FileEdits {
  static final int RECORD = 7;

  private FileEdits() {
  }

  /** The template's bytes with the script from {@code input[from]} on applied. */
  static byte[] apply(byte[] template, byte[] input, int from) {
    byte[] out = template.clone();
    for (int at = from; at + RECORD <= input.length; at += RECORD) {
      ByteBuffer r = ByteBuffer.wrap(input, at, RECORD).order(ByteOrder.LITTLE_ENDIAN);
      int op = r.get() & 3;
      long position = r.getInt() & 0xffffffffL;
      int value = r.getShort() & 0xffff;
      if (op == 0) {
        out = Arrays.copyOf(out, (int) (position % (out.length + 1)));
        continue;
      }
      if (out.length == 0) {
        continue;
      }
      int p = (int) (position % out.length);
      ByteBuffer b = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
      if (op == 1) {
        out[p] = (byte) value;
      } else if (op == 2 && (p & ~1) + 2 <= out.length) {
        b.putShort(p & ~1, (short) value);
      } else if (op == 3 && (p & ~7) + 8 <= out.length) {
        b.putLong(p & ~7, value);
      }
    }
    return out;
  }
}
