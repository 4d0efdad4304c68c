package dev.vigil.nlq;

import dev.vigil.features.ServiceFeatures;
import dev.vigil.rca.Evidence;
import dev.vigil.rca.Incident;
import dev.vigil.rca.RootCause;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The facts a language model may answer from: exactly what the template answer is built from (the
 * incident, its ranked candidates, the top cause's evidence in the question's language, its example
 * traces; or, without an incident, the service's latest window), written as a list for the prompt.
 * The text carries no number that is not a fact, since every number in it becomes one the model may
 * use (see {@link GroundingCheck}).
 *
 * @param text the FACTS block, one fact a line
 * @param identifiers names and ids whose digits are not values: incident and trace ids, services,
 *     operations and features
 * @param knownServices every service Vigil knows, named in the facts or not
 */
record GroundingFacts(String text, Set<String> identifiers, Set<String> knownServices) {

  GroundingFacts {
    identifiers = Set.copyOf(identifiers);
    knownServices = Set.copyOf(knownServices);
  }

  static GroundingFacts of(AnswerBasis basis) {
    Question q = basis.question();
    Set<String> ids = new LinkedHashSet<>(basis.context().services());
    List<String> lines = new ArrayList<>();
    lines.add(
        "- Asked about: "
            + (q.service() == null ? "no particular service" : "the service " + q.service())
            + "; intent: "
            + basis.intent()
            + "; time range: "
            + range(q)
            + ".");
    if (q.service() != null) {
      ids.add(q.service());
    }
    if (basis.incident() != null) {
      incident(basis, lines, ids);
    } else if (basis.mentionsUnknownService()) {
      lines.add(
          "- The question names no service Vigil knows. Known services: "
              + String.join(", ", basis.knownServices())
              + ".");
    } else if (basis.latest() != null) {
      ServiceFeatures f = basis.latest();
      lines.add("- No incident involving " + q.service() + " in the time range.");
      lines.add(
          String.format(
              Locale.ROOT,
              "- Latest window of %s: %d requests, p95 latency %.1f ms, error rate %.2f%%.",
              q.service(),
              f.requests(),
              f.p95Millis(),
              100 * f.errorRate()));
    } else {
      lines.add(
          "- No incident detected in the time range"
              + (q.service() == null ? "." : "; no recent data for " + q.service() + "."));
    }
    return new GroundingFacts(String.join("\n", lines), ids, basis.context().services());
  }

  private static void incident(AnswerBasis basis, List<String> lines, Set<String> ids) {
    Incident i = basis.incident();
    RootCause top = basis.topCause();
    ids.add(i.id());
    ids.addAll(i.affectedServices());
    lines.add(
        "- Incident "
            + i.id()
            + ": started at "
            + i.startedAt()
            + (i.status().equals(Incident.OPEN)
                ? "; status open (ongoing, not resolved yet)."
                : "; status resolved, at " + i.resolvedAt() + "."));
    lines.add("- Affected services: " + String.join(", ", i.affectedServices()) + ".");
    lines.add(
        "- Ranked root-cause candidates, most likely first (score: relative confidence; the"
            + " scores of all candidates sum to one): "
            + basis.candidates().stream()
                .map(r -> String.format(Locale.ROOT, "%s (score %.2f)", r.service(), r.score()))
                .collect(Collectors.joining(", "))
            + ".");
    for (RootCause r : basis.candidates()) {
      ids.add(r.service());
      ids.addAll(r.path());
    }
    for (Evidence e : top.evidence()) {
      if (e.subject() != null) {
        ids.add(e.subject());
        // Feature ids such as metric:http.server.request.duration:p95 appear split in sentences.
        for (String part : e.subject().split(":")) {
          if (part.chars().anyMatch(Character::isLetter)) {
            ids.add(part);
          }
        }
      }
    }
    lines.add("- Evidence for " + top.service() + ", strongest first:");
    basis.evidenceSentences().forEach(s -> lines.add("  - " + s));
    List<String> traces = basis.exampleTraces();
    if (!traces.isEmpty()) {
      ids.addAll(traces);
      lines.add("- Example traces of " + top.service() + ": " + String.join(", ", traces) + ".");
    }
  }

  /**
   * The range with every count a reply might use for it: "past hour" needs none, "过去1小时" needs the
   * 1.
   */
  private static String range(Question q) {
    long minutes = q.range().toMinutes();
    if (minutes % (24 * 60) == 0) {
      long days = minutes / (24 * 60);
      return String.format(
          Locale.ROOT,
          "the past %d %s (%d hours, %d minutes)",
          days,
          days == 1 ? "day" : "days",
          minutes / 60,
          minutes);
    }
    if (minutes % 60 == 0) {
      long hours = minutes / 60;
      return String.format(
          Locale.ROOT,
          "the past %d %s (%d minutes)",
          hours,
          hours == 1 ? "hour" : "hours",
          minutes);
    }
    return String.format(Locale.ROOT, "the past %d minutes", minutes);
  }
}
