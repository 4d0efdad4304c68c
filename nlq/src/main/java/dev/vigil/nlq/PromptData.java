package dev.vigil.nlq;

import java.util.List;

/**
 * The user message sent to a language model: one JSON document whose only strings are the question,
 * the facts and the offline draft, each a quoted and escaped JSON string, after redaction.
 * Telemetry text (span names, attributes, log templates in evidence) appears nowhere else, so it
 * can never be read as part of the prompt's own structure.
 *
 * @param json the document
 */
record PromptData(String json) {

  static PromptData of(Question question, Answer draft, Redactor redactor) {
    StringBuilder sb = new StringBuilder("{\"question\":");
    string(sb, redactor.redact(question.text()));
    sb.append(",\"language\":").append(question.chinese() ? "\"zh\"" : "\"en\"");
    sb.append(",\"facts\":[");
    List<String> facts = draft.facts();
    for (int i = 0; i < facts.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      string(sb, redactor.redact(facts.get(i)));
    }
    sb.append("],\"draft\":");
    string(sb, redactor.redact(draft.text()));
    return new PromptData(sb.append('}').toString());
  }

  /** Appends a JSON string literal; {@code <} and {@code >} escaped too, as in HTML-safe JSON. */
  static void string(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        case '<' -> sb.append("\\u003c");
        case '>' -> sb.append("\\u003e");
        default -> {
          if (c < 0x20 || c == '\u2028' || c == '\u2029') {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }
}
