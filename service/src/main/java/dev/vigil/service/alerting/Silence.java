package dev.vigil.service.alerting;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A silence, as in Alertmanager's API v2: alerts whose labels match every matcher between {@code
 * startsAt} and {@code endsAt} are kept and shown as silenced, and no sink is notified of them.
 * Expiring a silence sets its end to the time of expiry.
 *
 * @param id {@code silence-<ULID>}
 */
public record Silence(
    String id,
    List<Matcher> matchers,
    Instant startsAt,
    Instant endsAt,
    String createdBy,
    String comment) {
  public static final String PENDING = "pending";
  public static final String ACTIVE = "active";
  public static final String EXPIRED = "expired";

  public Silence {
    matchers = List.copyOf(matchers);
    if (matchers.isEmpty()) {
      throw new IllegalArgumentException("a silence needs at least one matcher");
    }
    if (startsAt == null || endsAt == null) {
      throw new IllegalArgumentException("a silence needs startsAt and endsAt");
    }
    if (!endsAt.isAfter(startsAt)) {
      throw new IllegalArgumentException(
          "silence endsAt " + endsAt + " must be after startsAt " + startsAt);
    }
  }

  /** {@code pending}, {@code active} or {@code expired} at the given time. */
  public String state(Instant at) {
    return at.isBefore(startsAt) ? PENDING : at.isBefore(endsAt) ? ACTIVE : EXPIRED;
  }

  public boolean silences(Map<String, String> labels, Instant at) {
    return state(at).equals(ACTIVE) && matchers.stream().allMatch(m -> m.matches(labels));
  }
}
