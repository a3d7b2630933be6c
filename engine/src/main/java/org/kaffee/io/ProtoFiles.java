package org.kaffee.io;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.TextFormat;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.kaffee.core.KaffeeException;

/**
 * Reads and writes Caffe's files: protobuf text (prototxt) and binary (caffemodel,
 * solverstate, binaryproto). Errors name the file, and for text the line and column.
 * Writes go to a temporary file that is renamed into place, so a crash never leaves a
 * half-written file under the final name.
 */
public final class ProtoFiles {
  /** Caffe lifts protobuf's 64 MB default; Kaffee allows up to 2 GB - 1. */
  private static final int MAX_MESSAGE_BYTES = Integer.MAX_VALUE;

  private ProtoFiles() {
  }

  /** Parses a prototxt into {@code builder}; errors read {@code file:line:column: message}. */
  public static <B extends Message.Builder> B readText(Path path, B builder) {
    String text = readString(path);
    try {
      TextFormat.Parser.newBuilder().build().merge(text, builder);
    } catch (TextFormat.ParseException e) {
      throw new KaffeeException(path + ":" + e.getLine() + ":" + e.getColumn() + ": "
          + stripPosition(e.getMessage()), e);
    }
    return builder;
  }

  /** Parses prototxt text that came from somewhere other than a file ({@code origin} names it). */
  public static <B extends Message.Builder> B parseText(String text, String origin, B builder) {
    try {
      TextFormat.Parser.newBuilder().build().merge(text, builder);
    } catch (TextFormat.ParseException e) {
      throw new KaffeeException(origin + ":" + e.getLine() + ":" + e.getColumn() + ": "
          + stripPosition(e.getMessage()), e);
    }
    return builder;
  }

  /** Parses a binary protobuf file of up to 2 GB. */
  public static <B extends Message.Builder> B readBinary(Path path, B builder, String what) {
    checkReadable(path);
    try (InputStream in = Files.newInputStream(path)) {
      CodedInputStream coded = CodedInputStream.newInstance(in);
      // No length inside the file can exceed the file: protobuf then rejects a huge declared
      // length before allocating for it. Pipes and devices (no length) are refused.
      if (!Files.isRegularFile(path)) {
        throw new KaffeeException(path + ": not a regular file, expected a " + what);
      }
      coded.setSizeLimit((int) Math.min(MAX_MESSAGE_BYTES, Files.size(path)));
      builder.mergeFrom(coded);
      coded.checkLastTagWas(0);
    } catch (InvalidProtocolBufferException e) {
      throw new KaffeeException(path + ": not a valid " + what + " (" + e.getMessage()
          + "; is the file truncated or of another kind?)", e);
    } catch (IndexOutOfBoundsException e) {
      // protobuf-java's stream decoder adds a declared length to its position without the
      // overflow check its array decoder has: a length near 2^31 wraps the limit below zero
      // and the decoder then reads past its buffer
      throw new KaffeeException(path + ": not a valid " + what + " (a declared length runs past"
          + " the end of the file; is the file truncated or of another kind?)", e);
    } catch (IOException e) {
      throw new KaffeeException(path + ": cannot read: " + e.getMessage(), e);
    }
    return builder;
  }

  /** Reads either format: text for .prototxt/.pbtxt/.txt names, binary otherwise. */
  public static <B extends Message.Builder> B read(Path path, B builder, String what) {
    String name = path.getFileName().toString();
    if (name.endsWith(".prototxt") || name.endsWith(".pbtxt") || name.endsWith(".txt")) {
      return readText(path, builder);
    }
    return readBinary(path, builder, what);
  }

  public static void writeText(Path path, Message message) {
    new AtomicFiles().write(path, streamed(out -> {
      Writer w = new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8);
      TextFormat.printer().print(message, w);
      w.flush();
    })).commit();
  }

  public static void writeBinary(Path path, Message message) {
    new AtomicFiles().write(path, binary(message)).commit();
  }

  /** Writes {@code message} in binary, for a file of an {@link AtomicFiles} set. */
  public static AtomicFiles.Writer binary(Message message) {
    return streamed(message::writeTo);
  }

  /** Something that writes a file's bytes. */
  private interface Content {
    void writeTo(OutputStream out) throws IOException;
  }

  private static AtomicFiles.Writer streamed(Content content) {
    return tmp -> {
      try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20)) {
        content.writeTo(out);
      }
    };
  }

  public static String readString(Path path) {
    checkReadable(path);
    try {
      return Files.readString(path, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new KaffeeException(path + ": cannot read: " + e.getMessage(), e);
    }
  }

  /** Fails with the path when the file does not exist, is a directory or cannot be read. */
  public static void checkReadable(Path path) {
    if (!Files.exists(path)) {
      throw new KaffeeException(path + ": no such file");
    }
    if (Files.isDirectory(path)) {
      throw new KaffeeException(path + ": is a directory, expected a file");
    }
    if (!Files.isReadable(path)) {
      throw new KaffeeException(path + ": permission denied");
    }
  }

  private static final java.util.regex.Pattern UNKNOWN_FIELD =
      java.util.regex.Pattern.compile("\\d+:\\d+:\\s*([\\w.]+)\\.(\\w+)");
  private static final java.util.regex.Pattern BAD_INTEGER =
      java.util.regex.Pattern.compile("^Couldn't parse integer: For input string: \"(.*)\"$", java.util.regex.Pattern.DOTALL);

  /** One readable line from a ParseException message (which starts with "line:column: "). */
  static String stripPosition(String message) {
    String m = message.replaceFirst("^\\d+:\\d+: ", "");
    if (m.startsWith("Input contains unknown fields and/or extensions:")) {
      // protobuf-java lists every unknown field, one "line:col:\ttype.field" per line.
      java.util.regex.Matcher f = UNKNOWN_FIELD.matcher(m);
      java.util.List<String> fields = new java.util.ArrayList<>();
      String first = null;
      while (f.find()) {
        if (first == null) {
          first = "Message type \"" + f.group(1) + "\" has no field named \"" + f.group(2) + "\"";
        }
        fields.add(f.group(0).replaceAll("\\s+", " "));
      }
      if (first != null) {
        return fields.size() == 1 ? first + "."
            : first + " (" + (fields.size() - 1) + " more unknown fields: "
                + String.join(", ", fields.subList(1, fields.size())) + ")";
      }
    }
    java.util.regex.Matcher b = BAD_INTEGER.matcher(m);
    if (b.matches()) {
      return "Expected integer, got " + b.group(1) + ".";
    }
    return m.replace('\n', ' ');
  }
}
