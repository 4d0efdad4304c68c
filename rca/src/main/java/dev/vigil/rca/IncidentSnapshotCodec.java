package dev.vigil.rca;

import dev.vigil.models.Anomaly;
import dev.vigil.models.FeatureDeviation;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The incident tracker's state as versioned bytes: a magic, a {@code version}, then the service
 * streaks and each open incident's latest report (root causes with their evidence, anomalies) and
 * quiet count, in {@link DataOutputStream} encoding. The windows behind a ranking are left out:
 * they are large, and after a restore an incident keeps its last ranking until new windows re-rank
 * it. Pending anomalies are left out too: a new incident's streak starts again. Written by hand
 * because rca carries no serialization library, and the format is small and stable.
 */
final class IncidentSnapshotCodec {
  static final int MAGIC = 0x56494e43; // "VINC"
  static final int VERSION = 1;

  /** What a snapshot restores. */
  record State(Map<String, Integer> streaks, List<Incident> open, List<Integer> quiet) {}

  private IncidentSnapshotCodec() {}

  static byte[] write(State state) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(MAGIC);
      out.writeInt(VERSION);
      out.writeInt(state.streaks().size());
      for (Map.Entry<String, Integer> e : state.streaks().entrySet()) {
        out.writeUTF(e.getKey());
        out.writeInt(e.getValue());
      }
      out.writeInt(state.open().size());
      for (int i = 0; i < state.open().size(); i++) {
        incident(out, state.open().get(i));
        out.writeInt(state.quiet().get(i));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  static State read(byte[] snapshot) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(snapshot))) {
      if (in.readInt() != MAGIC) {
        throw new IllegalArgumentException("not an incident tracker snapshot");
      }
      int version = in.readInt();
      if (version != VERSION) {
        throw new IllegalArgumentException(
            "incident tracker snapshot version " + version + "; this release reads " + VERSION);
      }
      Map<String, Integer> streaks = new TreeMap<>();
      for (int n = in.readInt(); n > 0; n--) {
        streaks.put(in.readUTF(), in.readInt());
      }
      List<Incident> open = new ArrayList<>();
      List<Integer> quiet = new ArrayList<>();
      for (int n = in.readInt(); n > 0; n--) {
        open.add(incident(in));
        quiet.add(in.readInt());
      }
      if (in.available() > 0) {
        throw new IllegalArgumentException("incident tracker snapshot has trailing bytes");
      }
      return new State(streaks, open, quiet);
    } catch (IOException e) {
      throw new IllegalArgumentException("truncated incident tracker snapshot: " + e, e);
    }
  }

  private static void incident(DataOutputStream out, Incident i) throws IOException {
    out.writeUTF(i.id());
    out.writeUTF(i.status());
    instant(out, i.startedAt());
    instant(out, i.detectedAt());
    instant(out, i.resolvedAt());
    strings(out, i.affectedServices());
    out.writeInt(i.rootCauses().size());
    for (RootCause r : i.rootCauses()) {
      out.writeUTF(r.service());
      out.writeDouble(r.score());
      out.writeBoolean(r.anomalous());
      strings(out, r.path());
      out.writeInt(r.evidence().size());
      for (Evidence e : r.evidence()) {
        out.writeUTF(e.kind());
        out.writeUTF(e.text());
        out.writeUTF(e.textZh());
        nullable(out, e.subject());
        nullable(out, e.unit());
        number(out, e.before());
        number(out, e.after());
        strings(out, e.traceIds());
      }
    }
    out.writeInt(i.anomalies().size());
    for (Anomaly a : i.anomalies()) {
      out.writeUTF(a.service());
      instant(out, a.windowStart());
      out.writeDouble(a.grade());
      strings(out, a.detectors());
      out.writeInt(a.drivers().size());
      for (FeatureDeviation d : a.drivers()) {
        out.writeUTF(d.feature());
        out.writeUTF(d.unit());
        out.writeDouble(d.baseline());
        out.writeDouble(d.actual());
        out.writeDouble(d.zScore());
      }
      strings(out, a.exemplarTraceIds());
    }
    nullable(out, i.mergedInto());
  }

  private static Incident incident(DataInputStream in) throws IOException {
    String id = in.readUTF();
    String status = in.readUTF();
    Instant started = instant(in);
    Instant detected = instant(in);
    Instant resolved = instant(in);
    List<String> affected = strings(in);
    List<RootCause> causes = new ArrayList<>();
    for (int n = in.readInt(); n > 0; n--) {
      String service = in.readUTF();
      double score = in.readDouble();
      boolean anomalous = in.readBoolean();
      List<String> path = strings(in);
      List<Evidence> evidence = new ArrayList<>();
      for (int m = in.readInt(); m > 0; m--) {
        evidence.add(
            new Evidence(
                in.readUTF(),
                in.readUTF(),
                in.readUTF(),
                nullable(in),
                nullable(in),
                number(in),
                number(in),
                strings(in)));
      }
      causes.add(new RootCause(service, score, anomalous, path, evidence));
    }
    List<Anomaly> anomalies = new ArrayList<>();
    for (int n = in.readInt(); n > 0; n--) {
      String service = in.readUTF();
      Instant start = instant(in);
      double grade = in.readDouble();
      List<String> detectors = strings(in);
      List<FeatureDeviation> drivers = new ArrayList<>();
      for (int m = in.readInt(); m > 0; m--) {
        drivers.add(
            new FeatureDeviation(
                in.readUTF(), in.readUTF(), in.readDouble(), in.readDouble(), in.readDouble()));
      }
      anomalies.add(new Anomaly(service, start, grade, detectors, drivers, strings(in)));
    }
    return new Incident(
        id, status, started, detected, resolved, affected, causes, anomalies, nullable(in));
  }

  private static void instant(DataOutputStream out, Instant t) throws IOException {
    out.writeBoolean(t != null);
    if (t != null) {
      out.writeLong(t.getEpochSecond());
      out.writeInt(t.getNano());
    }
  }

  private static Instant instant(DataInputStream in) throws IOException {
    return in.readBoolean() ? Instant.ofEpochSecond(in.readLong(), in.readInt()) : null;
  }

  private static void strings(DataOutputStream out, List<String> s) throws IOException {
    out.writeInt(s.size());
    for (String x : s) {
      out.writeUTF(x);
    }
  }

  private static List<String> strings(DataInputStream in) throws IOException {
    List<String> out = new ArrayList<>();
    for (int n = in.readInt(); n > 0; n--) {
      out.add(in.readUTF());
    }
    return out;
  }

  private static void nullable(DataOutputStream out, String s) throws IOException {
    out.writeBoolean(s != null);
    if (s != null) {
      out.writeUTF(s);
    }
  }

  private static String nullable(DataInputStream in) throws IOException {
    return in.readBoolean() ? in.readUTF() : null;
  }

  private static void number(DataOutputStream out, Double d) throws IOException {
    out.writeBoolean(d != null);
    if (d != null) {
      out.writeDouble(d);
    }
  }

  private static Double number(DataInputStream in) throws IOException {
    return in.readBoolean() ? in.readDouble() : null;
  }
}
