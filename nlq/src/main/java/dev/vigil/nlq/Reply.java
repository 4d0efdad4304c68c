package dev.vigil.nlq;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * An answer being written: its sentences in the question's language, the facts (tool outputs) they
 * were written from, and the ids they cite. Mutable; used by one planner call.
 */
final class Reply {
  private final boolean chinese;
  private final StringBuilder text = new StringBuilder();
  private final List<String> facts = new ArrayList<>();
  private final Set<String> citations = new LinkedHashSet<>();
  private String rootCause;
  private Double confidence;

  Reply(boolean chinese) {
    this.chinese = chinese;
  }

  boolean chinese() {
    return chinese;
  }

  /** Appends the English or the Chinese sentence. */
  Reply say(String english, String zh) {
    String s = chinese ? zh : english;
    if (!s.isEmpty()) {
      if (text.length() > 0 && !chinese) {
        text.append(' ');
      }
      text.append(s);
    }
    return this;
  }

  Reply fact(String line) {
    facts.add(line);
    return this;
  }

  Reply cite(String id) {
    citations.add(id);
    return this;
  }

  Reply cause(String service, double score) {
    this.rootCause = service;
    this.confidence = score;
    return this;
  }

  Answer build(Question q) {
    return new Answer(
        text.toString(),
        q.service(),
        q.intent().id(),
        rootCause,
        confidence,
        List.copyOf(citations),
        facts,
        Answer.TEMPLATE);
  }
}
