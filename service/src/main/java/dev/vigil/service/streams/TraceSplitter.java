package dev.vigil.service.streams;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.utils.Utils;

/**
 * Splits an OTLP protobuf {@code TracesData} by the trace partition of its spans on the wire,
 * without decoding the spans: each part holds, byte for byte, the spans of one partition under
 * copies of their resource and scope, so the trace partition decodes each span once. Everything but
 * the spans (resources, scopes, schema URLs, unknown fields) is copied as it is, in its order.
 *
 * <p>Spans are assigned as {@link SpanRouter#partitionOf} assigns decoded ones (murmur2 of the
 * lowercase hex trace id); a span without a 16-byte trace id goes to partition 0, whose decoder
 * rejects it with its reason. What this path does not model (groups, top-level fields other than
 * resource spans, malformed framing) returns null: the caller decodes the record instead, as
 * before, and dead-letters what is wrong with it.
 */
final class TraceSplitter {
  private static final int LEN = WireFormat.WIRETYPE_LENGTH_DELIMITED;
  private static final int TAG_1 = (1 << 3) | LEN; // field 1, length-delimited
  private static final int TAG_2 = (2 << 3) | LEN; // field 2, length-delimited
  private static final byte[] HEX =
      "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  private TraceSplitter() {}

  /** A message's fields other than its children, and its children. */
  private static final class Node {
    /** start, end pairs of the fields copied as they are. */
    final IntList fields = new IntList();

    /** Resource spans: their scope spans. */
    final List<Node> children = new ArrayList<>();

    /** Scope spans: start, end, partition of each span field. */
    final IntList spans = new IntList();
  }

  /**
   * @return the parts by partition (none for a message without spans), or null when the caller must
   *     decode the record instead
   */
  static Map<Integer, byte[]> split(byte[] payload, int partitions) {
    if (payload == null || payload.length == 0) {
      return null;
    }
    List<Node> resources = new ArrayList<>();
    byte[] hex = new byte[32];
    try {
      CodedInputStream in = CodedInputStream.newInstance(payload);
      while (true) {
        int tag = in.readTag();
        if (tag == 0) {
          break;
        }
        if (tag != TAG_1) {
          return null;
        }
        int old = in.pushLimit(in.readRawVarint32());
        Node resource = new Node();
        while (true) {
          int start = in.getTotalBytesRead();
          int t = in.readTag();
          if (t == 0) {
            break;
          }
          if (t == TAG_2) {
            resource.children.add(scope(in, partitions, hex));
          } else if (!skip(in, t)) {
            return null;
          } else {
            resource.fields.add(start, in.getTotalBytesRead());
          }
        }
        in.popLimit(old);
        resources.add(resource);
      }
    } catch (IOException e) {
      return null;
    }
    Map<Integer, byte[]> parts = new TreeMap<>();
    for (int p = 0; p < partitions; p++) {
      byte[] part = part(payload, resources, p);
      if (part != null) {
        parts.put(p, part);
      }
    }
    return parts;
  }

  private static Node scope(CodedInputStream in, int partitions, byte[] hex) throws IOException {
    int old = in.pushLimit(in.readRawVarint32());
    Node scope = new Node();
    while (true) {
      int start = in.getTotalBytesRead();
      int t = in.readTag();
      if (t == 0) {
        break;
      }
      if (t == TAG_2) {
        int p = spanPartition(in, partitions, hex);
        scope.spans.add(start, in.getTotalBytesRead());
        scope.spans.add(p);
      } else if (!skip(in, t)) {
        throw new IOException("unsupported");
      } else {
        scope.fields.add(start, in.getTotalBytesRead());
      }
    }
    in.popLimit(old);
    return scope;
  }

  /** Reads a span for its trace id (the last one, as a decoder would keep). */
  private static int spanPartition(CodedInputStream in, int partitions, byte[] hex)
      throws IOException {
    int old = in.pushLimit(in.readRawVarint32());
    int partition = 0;
    while (true) {
      int t = in.readTag();
      if (t == 0) {
        break;
      }
      if (t == TAG_1) {
        int length = in.readRawVarint32();
        if (length == 16) {
          byte[] id = in.readRawBytes(16);
          for (int i = 0; i < 16; i++) {
            hex[2 * i] = HEX[(id[i] >> 4) & 0xf];
            hex[2 * i + 1] = HEX[id[i] & 0xf];
          }
          partition = Utils.toPositive(Utils.murmur2(hex)) % partitions;
        } else {
          in.skipRawBytes(length);
          partition = 0;
        }
      } else if (!skip(in, t)) {
        throw new IOException("unsupported");
      }
    }
    in.popLimit(old);
    return partition;
  }

  /** Skips a field; false for a group, which this path leaves to the decoder. */
  private static boolean skip(CodedInputStream in, int tag) throws IOException {
    int wireType = WireFormat.getTagWireType(tag);
    if (wireType == WireFormat.WIRETYPE_START_GROUP || wireType == WireFormat.WIRETYPE_END_GROUP) {
      return false;
    }
    in.skipField(tag);
    return true;
  }

  /** The part of one partition, or null when it has no span. */
  private static byte[] part(byte[] payload, List<Node> resources, int p)
      throws IllegalStateException {
    int total = 0;
    int[] resourceBodies = new int[resources.size()];
    int[][] scopeBodies = new int[resources.size()][];
    for (int r = 0; r < resources.size(); r++) {
      Node resource = resources.get(r);
      int[] bodies = new int[resource.children.size()];
      int body = 0;
      for (int s = 0; s < bodies.length; s++) {
        Node scope = resource.children.get(s);
        int spans = 0;
        IntList sp = scope.spans;
        for (int i = 0; i < sp.size; i += 3) {
          if (sp.values[i + 2] == p) {
            spans += sp.values[i + 1] - sp.values[i];
          }
        }
        if (spans > 0) {
          bodies[s] = scope.fields.lengths() + spans;
          body += 1 + CodedOutputStream.computeUInt32SizeNoTag(bodies[s]) + bodies[s];
        } else {
          bodies[s] = -1;
        }
      }
      scopeBodies[r] = bodies;
      if (body > 0) {
        resourceBodies[r] = resource.fields.lengths() + body;
        total +=
            1 + CodedOutputStream.computeUInt32SizeNoTag(resourceBodies[r]) + resourceBodies[r];
      } else {
        resourceBodies[r] = -1;
      }
    }
    if (total == 0) {
      return null;
    }
    byte[] out = new byte[total];
    CodedOutputStream o = CodedOutputStream.newInstance(out);
    try {
      for (int r = 0; r < resources.size(); r++) {
        if (resourceBodies[r] < 0) {
          continue;
        }
        Node resource = resources.get(r);
        o.writeUInt32NoTag(TAG_1);
        o.writeUInt32NoTag(resourceBodies[r]);
        resource.fields.copy(payload, o);
        for (int s = 0; s < resource.children.size(); s++) {
          if (scopeBodies[r][s] < 0) {
            continue;
          }
          Node scope = resource.children.get(s);
          o.writeUInt32NoTag(TAG_2);
          o.writeUInt32NoTag(scopeBodies[r][s]);
          scope.fields.copy(payload, o);
          IntList sp = scope.spans;
          for (int i = 0; i < sp.size; i += 3) {
            if (sp.values[i + 2] == p) {
              o.writeRawBytes(payload, sp.values[i], sp.values[i + 1] - sp.values[i]);
            }
          }
        }
      }
      o.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new IllegalStateException("a split part was sized wrong", e);
    }
    return out;
  }

  /** A growable int array. */
  private static final class IntList {
    int[] values = new int[8];
    int size;

    void add(int v) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = v;
    }

    void add(int a, int b) {
      add(a);
      add(b);
    }

    /** The total length of the start, end pairs. */
    int lengths() {
      int n = 0;
      for (int i = 0; i < size; i += 2) {
        n += values[i + 1] - values[i];
      }
      return n;
    }

    void copy(byte[] payload, CodedOutputStream o) throws IOException {
      for (int i = 0; i < size; i += 2) {
        o.writeRawBytes(payload, values[i], values[i + 1] - values[i]);
      }
    }
  }
}
