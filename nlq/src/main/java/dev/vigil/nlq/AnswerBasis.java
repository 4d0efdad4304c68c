package dev.vigil.nlq;

import dev.vigil.features.ServiceFeatures;
import dev.vigil.rca.Evidence;
import dev.vigil.rca.Incident;
import dev.vigil.rca.RootCause;
import java.util.List;
import java.util.Locale;

/**
 * What the answer to one question rests on: the parsed question and the newest incident in its
 * range that involves its service (or none). The template answer and the LLM's facts are both built
 * from this, so they can never disagree on which incident or which evidence a question is about.
 *
 * @param incident the incident to explain, or null when there is none with root causes
 */
record AnswerBasis(Question question, Incident incident, DiagnosticContext context) {

  /** Evidence sentences an answer quotes at most, strongest first. */
  static final int MAX_EVIDENCE = 4;

  /** Example traces an answer cites at most. */
  static final int MAX_TRACES = 3;

  /** Root-cause candidates an answer names at most, the top one included. */
  static final int MAX_CANDIDATES = 3;

  /** Parses the question and picks the newest incident in its range involving its service. */
  static AnswerBasis of(String text, DiagnosticContext ctx) {
    Question q = QuestionParser.parse(text, ctx.services());
    Incident incident =
        ctx.incidents().stream()
            .filter(i -> !i.startedAt().isBefore(ctx.now().minus(q.range())))
            .filter(i -> q.service() == null || involves(i, q.service()))
            .findFirst()
            .orElse(null);
    // An incident not ranked yet has nothing to explain: the answer is about current health.
    return new AnswerBasis(
        q, incident != null && !incident.rootCauses().isEmpty() ? incident : null, ctx);
  }

  private static boolean involves(Incident i, String service) {
    return i.affectedServices().contains(service)
        || i.rootCauses().stream().limit(3).anyMatch(r -> r.service().equals(service));
  }

  /** The top-ranked root cause of the incident; only when there is an incident. */
  RootCause topCause() {
    return incident.rootCauses().get(0);
  }

  /** The ranked candidates an answer names, the top one first; only when there is an incident. */
  List<RootCause> candidates() {
    return incident.rootCauses().stream().limit(MAX_CANDIDATES).toList();
  }

  /** The top cause's evidence sentences, in the question's language, without the trace lists. */
  List<String> evidenceSentences() {
    return topCause().evidence().stream()
        .filter(e -> !e.kind().equals(Evidence.EXAMPLE_TRACES))
        .map(e -> e.text(question.chinese()))
        .limit(MAX_EVIDENCE)
        .toList();
  }

  /** The top cause's example trace ids. */
  List<String> exampleTraces() {
    return topCause().evidence().stream()
        .filter(e -> e.kind().equals(Evidence.EXAMPLE_TRACES))
        .flatMap(e -> e.traceIds().stream())
        .limit(MAX_TRACES)
        .toList();
  }

  /** The latest window of the service asked about, or null. */
  ServiceFeatures latest() {
    return question.service() == null ? null : context.latest().get(question.service());
  }

  /** Whether the question seems to name a service Vigil does not know. */
  boolean mentionsUnknownService() {
    return question.service() == null
        && !context.services().isEmpty()
        && question
            .text()
            .toLowerCase(Locale.ROOT)
            .matches(".*\\b(is|are)\\s+[a-z][\\w-]*\\s+(slow|failing|down).*");
  }

  /** Every known service, sorted. */
  List<String> knownServices() {
    return context.services().stream().sorted().toList();
  }

  String intent() {
    return question.intent().name().toLowerCase(Locale.ROOT);
  }
}
