package dev.vigil.telemetry.otlp;

import static dev.vigil.telemetry.otlp.ProtoWire.bytes;
import static dev.vigil.telemetry.otlp.ProtoWire.enter;
import static dev.vigil.telemetry.otlp.ProtoWire.leave;
import static dev.vigil.telemetry.otlp.ProtoWire.skipString;
import static dev.vigil.telemetry.otlp.ProtoWire.skipUnknown;
import static dev.vigil.telemetry.otlp.ProtoWire.string;
import static dev.vigil.telemetry.otlp.ProtoWire.unsupported;

import com.google.protobuf.CodedInputStream;
import dev.vigil.telemetry.Resource;
import dev.vigil.telemetry.SpanKind;
import dev.vigil.telemetry.SpanRecord;
import dev.vigil.telemetry.StatusCode;
import dev.vigil.telemetry.otlp.ProtoWire.Unsupported;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Decodes an OTLP {@code TracesData} (or the byte-identical {@code ExportTraceServiceRequest}) into
 * span records field by field with {@link CodedInputStream}, without building the message tree: ids
 * are rendered as hex straight from the payload, kept strings are made once, and what the records
 * do not keep (events, links, scopes, trace state) is read through, not built.
 *
 * <p>It gives exactly what {@code parseFrom} followed by {@link ProtoMapper#spans} gives, records
 * and rejections alike. Wire-format corner cases whose protobuf semantics are merges (a sub-message
 * or oneof repeated), groups, attributes nested {@link Attributes#MAX_DEPTH} deep, and every
 * malformed message are not modelled: {@link #spans} returns null and the caller decodes the
 * message with {@code parseFrom}, so such input gets the reference behaviour (and the reference
 * error) by construction. Data that {@code parseFrom} would reject is never accepted here, because
 * everything it checks is checked here too: framing of every field, UTF-8 of every string, known or
 * not.
 *
 * <p>Linear in the message size; one pass, no backtracking.
 */
final class StreamingTraceDecoder {
  private static final Resource NO_RESOURCE = Resource.of(Map.of());

  private final byte[] buf;
  private final CodedInputStream in;
  private final AsciiStrings strings = AsciiStrings.forThisThread();
  private final IdStrings traceIds = IdStrings.traceIds();
  private final IdStrings spanIds = IdStrings.spanIds();
  private final StreamingAttributes attributes;
  private final RejectionsAccumulator rejections;
  private final List<SpanRecord> out = new ArrayList<>();

  private StreamingTraceDecoder(byte[] payload, RejectionsAccumulator rejections) {
    this.buf = payload;
    this.in = CodedInputStream.newInstance(payload);
    this.attributes = new StreamingAttributes(payload, in, strings);
    this.rejections = rejections;
  }

  /**
   * Decodes the spans of a protobuf traces message, rejecting invalid spans into {@code
   * rejections}.
   *
   * @return the valid spans, or null when the message must be decoded with {@code parseFrom}
   *     instead ({@code rejections} is then left as it was)
   */
  static List<SpanRecord> spans(byte[] payload, RejectionsAccumulator rejections) {
    RejectionsAccumulator mine = new RejectionsAccumulator(rejections.notAfterEpochNanos());
    StreamingTraceDecoder d = new StreamingTraceDecoder(payload, mine);
    try {
      d.tracesData();
    } catch (IOException | Unsupported e) {
      return null;
    }
    rejections.addAll(mine);
    return d.out;
  }

  private void tracesData() throws IOException, Unsupported {
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (tag == 10) {
        int old = enter(in);
        resourceSpans();
        leave(in, old);
      } else {
        skipUnknown(in, tag);
      }
    }
  }

  private void resourceSpans() throws IOException, Unsupported {
    Resource resource = NO_RESOURCE;
    boolean hasResource = false;
    boolean hasScopes = false;
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      switch (tag) {
        case 10 -> {
          // A second resource would be merged into the first, and one after the spans would apply
          // to spans already made.
          if (hasResource || hasScopes) {
            throw unsupported();
          }
          hasResource = true;
          int old = enter(in);
          resource = resource();
          leave(in, old);
        }
        case 18 -> {
          hasScopes = true;
          int old = enter(in);
          scopeSpans(resource);
          leave(in, old);
        }
        case 26 -> skipString(in, buf); // schema_url
        default -> skipUnknown(in, tag);
      }
    }
  }

  private Resource resource() throws IOException, Unsupported {
    attributes.clear();
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      switch (tag) {
        case 10 -> attributes.add();
        case 16 -> in.readUInt32(); // dropped_attributes_count
        case 26 -> { // entity_refs: four strings
          int old = enter(in);
          for (int t = in.readTag(); t != 0; t = in.readTag()) {
            switch (t) {
              case 10, 18, 26, 34 -> skipString(in, buf);
              default -> skipUnknown(in, t);
            }
          }
          leave(in, old);
        }
        default -> skipUnknown(in, tag);
      }
    }
    return Resource.of(attributes.toMap());
  }

  private void scopeSpans(Resource resource) throws IOException, Unsupported {
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      switch (tag) {
        case 10 -> scope();
        case 18 -> {
          int old = enter(in);
          span(resource);
          leave(in, old);
        }
        case 26 -> skipString(in, buf); // schema_url
        default -> skipUnknown(in, tag);
      }
    }
  }

  /** Reads through an {@code InstrumentationScope}: not kept, but checked. */
  private void scope() throws IOException, Unsupported {
    int old = enter(in);
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      switch (tag) {
        case 10, 18 -> skipString(in, buf); // name, version
        case 26 -> attributes.skip();
        case 32 -> in.readUInt32();
        default -> skipUnknown(in, tag);
      }
    }
    leave(in, old);
  }

  private void span(Resource resource) throws IOException, Unsupported {
    int traceId = -1;
    int traceIdLength = 0;
    int spanId = -1;
    int spanIdLength = 0;
    int parentId = -1;
    int parentIdLength = 0;
    String name = "";
    int kind = 0;
    long start = 0;
    long end = 0;
    int status = 0;
    attributes.clear();
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      switch (tag) {
        case 10 -> {
          traceIdLength = in.readRawVarint32();
          traceId = bytes(in, traceIdLength);
        }
        case 18 -> {
          spanIdLength = in.readRawVarint32();
          spanId = bytes(in, spanIdLength);
        }
        case 26 -> skipString(in, buf); // trace_state
        case 34 -> {
          parentIdLength = in.readRawVarint32();
          parentId = bytes(in, parentIdLength);
        }
        case 42 -> name = string(in, buf, strings);
        case 48 -> kind = in.readEnum();
        case 57 -> start = in.readFixed64();
        case 65 -> end = in.readFixed64();
        case 74 -> attributes.add();
        case 80, 96, 112 -> in.readUInt32(); // dropped attribute, event and link counts
        case 90 -> event();
        case 106 -> link();
        case 122 -> status = status(status);
        case 133 -> in.readFixed32(); // flags
        default -> skipUnknown(in, tag);
      }
    }
    try {
      String trace = traceIds.id(buf, traceId, traceIdLength);
      String id = spanIds.id(buf, spanId, spanIdLength);
      String parent = parentIdLength == 0 ? "" : spanIds.id(buf, parentId, parentIdLength);
      long notAfter = rejections.notAfterEpochNanos();
      Timestamps.required("span start time", start, notAfter);
      Timestamps.required("span end time", end, notAfter);
      Timestamps.ordered("span", start, end);
      out.add(
          new SpanRecord(
              trace,
              id,
              parent,
              resource,
              name,
              SpanKind.fromOtlp(kind),
              start,
              end,
              StatusCode.fromOtlp(status),
              attributes.toMap()));
    } catch (OtlpDecodeException e) {
      rejections.reject(e);
    }
  }

  /**
   * Reads a {@code Status}. A second status on the wire is merged into the first by {@code
   * parseFrom}: its code, when present, replaces the earlier one.
   */
  private int status(int code) throws IOException, Unsupported {
    int old = enter(in);
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      switch (tag) {
        case 18 -> skipString(in, buf); // message
        case 24 -> code = in.readEnum();
        default -> skipUnknown(in, tag);
      }
    }
    leave(in, old);
    return code;
  }

  /** Reads through a {@code Span.Event}: not kept, but checked. */
  private void event() throws IOException, Unsupported {
    int old = enter(in);
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      switch (tag) {
        case 9 -> in.readFixed64();
        case 18 -> skipString(in, buf);
        case 26 -> attributes.skip();
        case 32 -> in.readUInt32();
        default -> skipUnknown(in, tag);
      }
    }
    leave(in, old);
  }

  /** Reads through a {@code Span.Link}: not kept, but checked. */
  private void link() throws IOException, Unsupported {
    int old = enter(in);
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      switch (tag) {
        case 26 -> skipString(in, buf); // trace_state
        case 34 -> attributes.skip();
        default -> skipUnknown(in, tag); // ids, dropped count, flags: framing only
      }
    }
    leave(in, old);
  }
}
