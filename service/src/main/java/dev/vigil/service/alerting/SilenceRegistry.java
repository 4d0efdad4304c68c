package dev.vigil.service.alerting;

import dev.vigil.rca.TimeOrderedIds;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The silences set through the API. Thread-safe: the HTTP threads add and expire silences while the
 * pipeline thread matches alerts against them. Expired silences are kept (listed as expired) up to
 * {@value #MAX_EXPIRED}, the oldest expired first to go.
 */
public final class SilenceRegistry {
  static final int MAX_EXPIRED = 1000;

  private final Map<String, Silence> silences = new LinkedHashMap<>();
  private final TimeOrderedIds ids;

  public SilenceRegistry(TimeOrderedIds ids) {
    this.ids = ids;
  }

  /** Adds a silence and returns it with its new id. */
  public synchronized Silence add(
      List<Matcher> matchers, Instant startsAt, Instant endsAt, String createdBy, String comment) {
    Silence s =
        new Silence(ids.next("silence-", startsAt), matchers, startsAt, endsAt, createdBy, comment);
    silences.put(s.id(), s);
    trim(startsAt);
    return s;
  }

  /** Ends a silence at {@code at}; empty when there is no such silence. */
  public synchronized Optional<Silence> expire(String id, Instant at) {
    Silence s = silences.get(id);
    if (s == null) {
      return Optional.empty();
    }
    if (s.state(at).equals(Silence.EXPIRED)) {
      return Optional.of(s);
    }
    Instant start = at.isAfter(s.startsAt()) ? s.startsAt() : at.minusNanos(1);
    Silence expired = new Silence(s.id(), s.matchers(), start, at, s.createdBy(), s.comment());
    silences.put(id, expired);
    return Optional.of(expired);
  }

  public synchronized Optional<Silence> get(String id) {
    return Optional.ofNullable(silences.get(id));
  }

  public synchronized List<Silence> all() {
    return List.copyOf(silences.values());
  }

  /** The ids of the silences active at {@code at} that match these labels. */
  public synchronized List<String> matching(Map<String, String> labels, Instant at) {
    List<String> out = new ArrayList<>();
    for (Silence s : silences.values()) {
      if (s.silences(labels, at)) {
        out.add(s.id());
      }
    }
    return out;
  }

  /** Replaces every silence, e.g. from a snapshot. */
  synchronized void replaceAll(List<Silence> restored) {
    silences.clear();
    restored.forEach(s -> silences.put(s.id(), s));
  }

  private void trim(Instant at) {
    long expired =
        silences.values().stream().filter(s -> s.state(at).equals(Silence.EXPIRED)).count();
    var it = silences.values().iterator();
    while (expired > MAX_EXPIRED && it.hasNext()) {
      if (it.next().state(at).equals(Silence.EXPIRED)) {
        it.remove();
        expired--;
      }
    }
  }
}
