package dev.vigil.telemetry.otlp;

import static dev.vigil.telemetry.otlp.ProtoWire.enter;
import static dev.vigil.telemetry.otlp.ProtoWire.leave;
import static dev.vigil.telemetry.otlp.ProtoWire.skipString;
import static dev.vigil.telemetry.otlp.ProtoWire.skipUnknown;
import static dev.vigil.telemetry.otlp.ProtoWire.string;
import static dev.vigil.telemetry.otlp.ProtoWire.unsupported;

import com.google.protobuf.CodedInputStream;
import dev.vigil.telemetry.AttributeBytes;
import dev.vigil.telemetry.AttributeMap;
import dev.vigil.telemetry.otlp.ProtoWire.Unsupported;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads OTLP {@code KeyValue} lists from the wire into the same values {@link Attributes} makes
 * from parsed messages, with the same caps ({@link Attributes#MAX_ATTRIBUTES} entries per list,
 * counted before empty values are dropped). Nesting at {@link Attributes#MAX_DEPTH}, which {@code
 * Attributes} renders as protobuf text, is left to {@code parseFrom}. Entries past the cap, and
 * attribute lists the records do not keep (events, links, scopes), are still read through, since
 * {@code parseFrom} rejects a malformed or non-UTF-8 one.
 *
 * <p>One instance per decode: it reuses its key and value arrays from one list to the next.
 */
final class StreamingAttributes {
  private static final int KEY = 10; // field 1, length-delimited
  private static final int VALUE = 18; // field 2, length-delimited
  private static final int KEY_STRINDEX = 24; // field 3, varint

  private final byte[] buf;
  private final CodedInputStream in;
  private final AsciiStrings strings;
  private String[] keys = new String[16];
  private Object[] values = new Object[16];
  private int size;
  private int seen;

  StreamingAttributes(byte[] buf, CodedInputStream in, AsciiStrings strings) {
    this.buf = buf;
    this.in = in;
    this.strings = strings;
  }

  /** Starts a new top-level attribute list. */
  void clear() {
    size = 0;
    seen = 0;
  }

  /** Reads one {@code KeyValue} of the current list (the stream is at its length prefix). */
  void add() throws IOException, Unsupported {
    int old = enter(in);
    if (seen++ >= Attributes.MAX_ATTRIBUTES) {
      skipKeyValue(0);
    } else {
      String key = "";
      Object value = null;
      boolean hasValue = false;
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        switch (tag) {
          case KEY -> key = string(in, buf, strings);
          case VALUE -> {
            if (hasValue) {
              throw unsupported(); // parseFrom would merge the two values
            }
            hasValue = true;
            int o = enter(in);
            value = value(0);
            leave(in, o);
          }
          case KEY_STRINDEX -> in.readInt32();
          default -> skipUnknown(in, tag);
        }
      }
      if (value != null) {
        put(key, value);
      }
    }
    leave(in, old);
  }

  /**
   * The list read since {@link #clear()}: the same entries as {@code Attributes.toMap} then a
   * record give (equal maps), in the order they came.
   */
  Map<String, Object> toMap() {
    return AttributeMap.copyOf(keys, values, size);
  }

  void skip() throws IOException, Unsupported {
    int old = enter(in);
    skipKeyValue(0);
    leave(in, old);
  }

  private void put(String key, Object value) {
    // A repeated key keeps its first position and takes the last value, as in a LinkedHashMap.
    for (int i = 0; i < size; i++) {
      if (keys[i].equals(key)) {
        values[i] = value;
        return;
      }
    }
    if (size == keys.length) {
      keys = Arrays.copyOf(keys, size * 2);
      values = Arrays.copyOf(values, size * 2);
    }
    keys[size] = key;
    values[size++] = value;
  }

  /** Reads an {@code AnyValue} (inside its limit) as {@code Attributes.value(v, depth)} does. */
  private Object value(int depth) throws IOException, Unsupported {
    Object value = null;
    int fields = 0;
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      switch (tag) {
        case 10 -> value = string(in, buf, strings);
        case 16 -> value = in.readBool();
        case 24 -> value = in.readInt64();
        case 33 -> value = in.readDouble();
        case 42 -> value = array(depth);
        case 50 -> value = kvList(depth);
        case 58 -> value = AttributeBytes.of(in.readByteArray());
        case 64 -> {
          in.readInt32();
          value = null; // a string-table index: a value kind this code does not render
        }
        default -> {
          skipUnknown(in, tag);
          continue;
        }
      }
      if (++fields > 1) {
        throw unsupported(); // a oneof set twice: parseFrom's last-wins and merge rules apply
      }
    }
    return value;
  }

  private List<Object> array(int depth) throws IOException, Unsupported {
    if (depth >= Attributes.MAX_DEPTH) {
      throw unsupported();
    }
    int old = enter(in);
    List<Object> list = new ArrayList<>();
    int n = 0;
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (tag != 10) {
        skipUnknown(in, tag);
        continue;
      }
      int o = enter(in);
      if (n++ >= Attributes.MAX_ATTRIBUTES) {
        skipValue(depth + 1);
      } else {
        Object v = value(depth + 1);
        if (v != null) {
          list.add(v);
        }
      }
      leave(in, o);
    }
    leave(in, old);
    return Collections.unmodifiableList(list);
  }

  private Map<String, Object> kvList(int depth) throws IOException, Unsupported {
    if (depth >= Attributes.MAX_DEPTH) {
      throw unsupported();
    }
    int old = enter(in);
    Map<String, Object> map = new LinkedHashMap<>();
    int n = 0;
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (tag != 10) {
        skipUnknown(in, tag);
        continue;
      }
      int o = enter(in);
      if (n++ >= Attributes.MAX_ATTRIBUTES) {
        skipKeyValue(depth + 1);
      } else {
        String key = "";
        Object value = null;
        boolean hasValue = false;
        for (int t = in.readTag(); t != 0; t = in.readTag()) {
          switch (t) {
            case KEY -> key = string(in, buf, strings);
            case VALUE -> {
              if (hasValue) {
                throw unsupported();
              }
              hasValue = true;
              int v = enter(in);
              value = value(depth + 1);
              leave(in, v);
            }
            case KEY_STRINDEX -> in.readInt32();
            default -> skipUnknown(in, t);
          }
        }
        if (value != null) {
          map.put(key, value);
        }
      }
      leave(in, o);
    }
    leave(in, old);
    return Collections.unmodifiableMap(map);
  }

  /** Reads through a {@code KeyValue} (inside its limit), checking it as {@code parseFrom} does. */
  private void skipKeyValue(int depth) throws IOException, Unsupported {
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      switch (tag) {
        case KEY -> skipString(in, buf);
        case VALUE -> {
          int o = enter(in);
          skipValue(depth);
          leave(in, o);
        }
        default -> skipUnknown(in, tag);
      }
    }
  }

  /** Reads through an {@code AnyValue} (inside its limit). */
  private void skipValue(int depth) throws IOException, Unsupported {
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      switch (tag) {
        case 10 -> skipString(in, buf);
        case 42, 50 -> {
          // ArrayValue.values and KeyValueList.values are both field 1.
          if (depth >= Attributes.MAX_DEPTH) {
            throw unsupported();
          }
          int o = enter(in);
          for (int t = in.readTag(); t != 0; t = in.readTag()) {
            if (t != 10) {
              skipUnknown(in, t);
              continue;
            }
            int e = enter(in);
            if (tag == 42) {
              skipValue(depth + 1);
            } else {
              skipKeyValue(depth + 1);
            }
            leave(in, e);
          }
          leave(in, o);
        }
        default -> skipUnknown(in, tag);
      }
    }
  }
}
