package dev.vigil.nlq;

import java.util.List;

/**
 * A grounded answer.
 *
 * @param text the answer for people
 * @param service the service the question was about, or null
 * @param intent what the question asked for ({@link Intent#id()})
 * @param rootCause the root cause named, or null when there is none
 * @param confidence the root cause's ranked score, the one figure shown everywhere, or null
 * @param citations the incident, alert and trace ids the answer rests on
 * @param facts the tools' outputs the answer was written from, one fact a line
 * @param source where the text came from: {@link #TEMPLATE} or {@link #LLM}
 */
public record Answer(
    String text,
    String service,
    String intent,
    String rootCause,
    Double confidence,
    List<String> citations,
    List<String> facts,
    String source) {

  /** The text was written by the offline planner from the tools' outputs. */
  public static final String TEMPLATE = "template";

  /** The text was written by a language model and passed the grounding check. */
  public static final String LLM = "llm";

  public Answer {
    citations = List.copyOf(citations);
    facts = List.copyOf(facts);
    if (!source.equals(TEMPLATE) && !source.equals(LLM)) {
      throw new IllegalArgumentException("source must be template or llm, got " + source);
    }
  }

  /** The same answer with another text and source. */
  public Answer withText(String newText, String newSource) {
    return new Answer(newText, service, intent, rootCause, confidence, citations, facts, newSource);
  }
}
