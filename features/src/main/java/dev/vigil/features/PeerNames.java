package dev.vigil.features;

import dev.vigil.telemetry.AttributeValues;
import dev.vigil.telemetry.SpanRecord;

/**
 * The peer a CLIENT or PRODUCER span names: the dependency it calls, as the OpenTelemetry semantic
 * conventions (current and older) let instrumentation say, for dependencies that may have no spans
 * of their own (databases, caches, brokers, third-party services). Shared by the live trace
 * analysis and the offline trace rules, so both name an uninstrumented dependency the same way.
 */
public final class PeerNames {
  /** The attributes read, most specific first. */
  static final String[] ATTRIBUTES = {
    "peer.service", "db.namespace", "db.name", "server.address", "net.peer.name", "db.system"
  };

  private PeerNames() {}

  /** The first non-blank peer attribute of the span, or null when it names none. */
  public static String of(SpanRecord s) {
    for (String key : ATTRIBUTES) {
      String v = AttributeValues.string(s.attributes(), key);
      if (v != null && !v.isBlank()) {
        return v;
      }
    }
    return null;
  }
}
