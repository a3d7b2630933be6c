package org.kaffee.spark;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The wire of the driver's log and control channel, shared by its two ends: lines read with a
 * bound (a peer, or a stranger who found the port, cannot make the driver buffer an endless
 * line; a longer line is cut at the bound and its rest skipped), and the ends' daemon threads.
 */
final class ChannelIo {
  /** Far above any glog line Kaffee writes (a net's whole prototxt is many lines). */
  static final int MAX_LINE = 64 * 1024;

  private ChannelIo() {
  }

  /** The next line without its '\n' (a '\r' before it is dropped), or null at the end of the stream. */
  static String read(InputStream in, int max) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != -1 && b != '\n') {
      if (line.size() < max) {
        line.write(b);
      }
    }
    if (b == -1 && line.size() == 0) {
      return null;
    }
    String text = line.toString(StandardCharsets.UTF_8);
    return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
  }

  static void write(OutputStream out, String line) throws IOException {
    out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
  }

  /** A daemon thread: a channel never keeps the JVM alive. */
  static Thread daemon(String name, Runnable body) {
    Thread t = new Thread(body, name);
    t.setDaemon(true);
    return t;
  }

  static void closeQuietly(Closeable c) {
    if (c != null) {
      try {
        c.close();
      } catch (IOException e) {
        // closed already, or never opened
      }
    }
  }
}
