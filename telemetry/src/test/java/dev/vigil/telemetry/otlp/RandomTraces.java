package dev.vigil.telemetry.otlp;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.UnknownFieldSet;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.EntityRef;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Random;

/**
 * Random OTLP traces messages that reach every field of the trace schema, valid and invalid items
 * alike, and random damage to their bytes. Seeded: a failure names the seed that reproduces it.
 */
final class RandomTraces {
  static final long START = 1_700_000_000_000_000_000L;

  private static final String[] KEYS = {
    "service.name",
    "http.route",
    "http.response.status_code",
    "peer.service",
    "db.system",
    "k",
    "ключ",
    "",
  };
  private static final String[] WORDS = {
    "GET /cart", "checkout", "", "écho", "日本語", "emoji \uD83D\uDE00", "a".repeat(300),
  };

  private final Random random;

  RandomTraces(long seed) {
    this.random = new Random(seed);
  }

  TracesData traces() {
    TracesData.Builder t = TracesData.newBuilder();
    for (int i = random.nextInt(4); i > 0; i--) {
      t.addResourceSpans(resourceSpans());
    }
    return t.build();
  }

  private ResourceSpans resourceSpans() {
    ResourceSpans.Builder rs = ResourceSpans.newBuilder();
    if (random.nextInt(5) > 0) {
      Resource.Builder r = Resource.newBuilder();
      if (random.nextInt(4) > 0) {
        r.addAttributes(kv("service.name", AnyValue.newBuilder().setStringValue(word())));
      }
      for (int i = random.nextInt(4); i > 0; i--) {
        r.addAttributes(kv(0));
      }
      if (random.nextInt(6) == 0) {
        r.addEntityRefs(
            EntityRef.newBuilder().setType("service").addIdKeys("service.name").setSchemaUrl("u"));
        r.setDroppedAttributesCount(random.nextInt(3));
      }
      rs.setResource(r);
    }
    for (int i = random.nextInt(3); i > 0; i--) {
      ScopeSpans.Builder ss = ScopeSpans.newBuilder();
      if (random.nextBoolean()) {
        ss.setScope(
            InstrumentationScope.newBuilder()
                .setName(word())
                .setVersion("1.0")
                .addAttributes(kv(0))
                .setDroppedAttributesCount(random.nextInt(2)));
      }
      for (int j = random.nextInt(6); j > 0; j--) {
        ss.addSpans(span());
      }
      if (random.nextInt(4) == 0) {
        ss.setSchemaUrl("https://opentelemetry.io/schemas/1.24.0");
      }
      rs.addScopeSpans(ss);
    }
    if (random.nextInt(4) == 0) {
      rs.setSchemaUrl("https://opentelemetry.io/schemas/1.24.0");
    }
    if (random.nextInt(10) == 0) {
      rs.setUnknownFields(unknownFields());
    }
    return rs.build();
  }

  Span span() {
    Span.Builder s =
        Span.newBuilder()
            .setTraceId(id(16))
            .setSpanId(id(8))
            .setName(word())
            .setKindValue(random.nextInt(8));
    if (random.nextBoolean()) {
      s.setParentSpanId(id(8));
    }
    long start = time();
    long end = random.nextInt(8) == 0 ? time() : start + random.nextInt(1_000_000_000);
    s.setStartTimeUnixNano(start).setEndTimeUnixNano(end);
    for (int i = random.nextInt(10); i > 0; i--) {
      s.addAttributes(kv(0));
    }
    if (random.nextInt(3) == 0) {
      s.setStatus(Status.newBuilder().setCodeValue(random.nextInt(4)).setMessage(word()).build());
    }
    if (random.nextInt(5) == 0) {
      s.addEvents(
          Span.Event.newBuilder()
              .setName("exception")
              .setTimeUnixNano(start)
              .addAttributes(kv(0))
              .setDroppedAttributesCount(1));
    }
    if (random.nextInt(8) == 0) {
      s.addLinks(
          Span.Link.newBuilder()
              .setTraceId(id(16))
              .setSpanId(id(8))
              .setTraceState("k=v")
              .addAttributes(kv(0))
              .setFlags(1));
    }
    if (random.nextInt(6) == 0) {
      s.setTraceState("vendor=1").setFlags(0x101).setDroppedLinksCount(2);
      s.setDroppedEventsCount(1).setDroppedAttributesCount(3);
    }
    if (random.nextInt(15) == 0) {
      s.setUnknownFields(unknownFields());
    }
    return s.build();
  }

  private ByteString id(int length) {
    byte[] b = new byte[length];
    switch (random.nextInt(12)) {
      case 0 -> b = new byte[random.nextInt(20)]; // wrong length (or empty)
      case 1 -> {} // all zero
      default -> random.nextBytes(b);
    }
    return ByteString.copyFrom(b);
  }

  private long time() {
    return switch (random.nextInt(14)) {
      case 0 -> 0;
      case 1 -> 1_700_000_000L; // seconds
      case 2 -> -5L; // past 2262 as unsigned
      case 3 -> START + 8L * 365 * 86_400 * 1_000_000_000L; // years ahead
      default -> START + random.nextInt(1_000_000) * 1_000L;
    };
  }

  private String word() {
    return WORDS[random.nextInt(WORDS.length)];
  }

  private KeyValue kv(int depth) {
    return kv(KEYS[random.nextInt(KEYS.length)], value(depth));
  }

  private static KeyValue kv(String key, AnyValue.Builder value) {
    return KeyValue.newBuilder().setKey(key).setValue(value).build();
  }

  private AnyValue.Builder value(int depth) {
    AnyValue.Builder v = AnyValue.newBuilder();
    switch (random.nextInt(depth > 4 ? 5 : 11)) {
      case 0 -> v.setStringValue(word());
      case 1 -> v.setBoolValue(random.nextBoolean());
      case 2 -> v.setIntValue(random.nextLong());
      case 3 -> v.setDoubleValue(random.nextInt(5) == 0 ? Double.NaN : random.nextGaussian() * 1e6);
      case 4 -> {} // no value: the attribute is dropped
      case 5 -> v.setBytesValue(ByteString.copyFrom(new byte[] {1, 2, (byte) random.nextInt()}));
      case 6 -> v.setStringValueStrindex(random.nextInt(9));
      case 7, 8 -> {
        ArrayValue.Builder a = ArrayValue.newBuilder();
        for (int i = random.nextInt(4); i > 0; i--) {
          a.addValues(value(depth + 1));
        }
        v.setArrayValue(a);
      }
      default -> {
        KeyValueList.Builder l = KeyValueList.newBuilder();
        for (int i = random.nextInt(4); i > 0; i--) {
          l.addValues(kv(depth + 1));
        }
        v.setKvlistValue(l);
      }
    }
    return v;
  }

  private UnknownFieldSet unknownFields() {
    UnknownFieldSet.Field.Builder f = UnknownFieldSet.Field.newBuilder();
    switch (random.nextInt(5)) {
      case 0 -> f.addVarint(random.nextLong());
      case 1 -> f.addFixed32(random.nextInt());
      case 2 -> f.addFixed64(random.nextLong());
      case 3 -> f.addLengthDelimited(ByteString.copyFromUtf8("future"));
      default -> f.addGroup(UnknownFieldSet.newBuilder().addField(1, varint(7)).build());
    }
    return UnknownFieldSet.newBuilder().addField(100 + random.nextInt(50), f.build()).build();
  }

  private static UnknownFieldSet.Field varint(long v) {
    return UnknownFieldSet.Field.newBuilder().addVarint(v).build();
  }

  /** Random damage: a flipped byte, a cut, an inserted or deleted run, a duplicated run. */
  byte[] mutate(byte[] bytes) {
    if (bytes.length == 0) {
      return new byte[] {(byte) random.nextInt()};
    }
    int at = random.nextInt(bytes.length);
    return switch (random.nextInt(6)) {
      case 0 -> {
        byte[] b = bytes.clone();
        b[at] ^= (byte) (1 << random.nextInt(8));
        yield b;
      }
      case 1 -> {
        byte[] b = bytes.clone();
        b[at] = (byte) random.nextInt();
        yield b;
      }
      case 2 -> Arrays.copyOf(bytes, at);
      case 3 -> splice(bytes, at, at, new byte[] {(byte) random.nextInt()});
      case 4 -> splice(bytes, at, Math.min(bytes.length, at + 1 + random.nextInt(8)), new byte[0]);
      default -> {
        int end = Math.min(bytes.length, at + 1 + random.nextInt(40));
        yield splice(bytes, at, at, Arrays.copyOfRange(bytes, at, end));
      }
    };
  }

  private static byte[] splice(byte[] bytes, int from, int to, byte[] insert) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(bytes, 0, from);
    out.write(insert, 0, insert.length);
    out.write(bytes, to, bytes.length - to);
    return out.toByteArray();
  }

  /** A length-delimited field built by hand, for field orders and repeats no builder makes. */
  static byte[] field(int number, byte[]... parts) {
    try {
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      for (byte[] p : parts) {
        body.write(p);
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      CodedOutputStream c = CodedOutputStream.newInstance(out);
      c.writeByteArray(number, body.toByteArray());
      c.flush();
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
