package dev.vigil.nlq;

import dev.vigil.rca.Evidence;
import dev.vigil.rca.Incident;
import dev.vigil.rca.RootCause;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Runs the grounding check (see {@code GroundingCheck}) of a text against an answer's facts: every
 * number, id and service of the text is in the facts, the root cause is named, and no URL, command,
 * path or unsuggested action is added. The LLM answerer checks replies with it; the evaluation
 * checks the offline answers with it.
 */
public final class Grounding {
  private Grounding() {}

  /** What in the reply the offline answer's facts and text do not support; empty if nothing. */
  public static List<String> check(Answer draft, LiveState state, String reply) {
    String facts = String.join("\n", draft.facts()) + "\n" + draft.text();
    return new GroundingCheck(facts, identifiers(state), state.services())
        .problems(reply, draft.rootCause());
  }

  /** Names whose digits are not values: services, operations, feature ids of evidence. */
  static Set<String> identifiers(LiveState state) {
    Set<String> ids = new LinkedHashSet<>(state.services());
    ids.addAll(QuestionParser.operations(state));
    for (Incident i : state.incidents()) {
      ids.add(i.id());
      for (RootCause r : i.rootCauses()) {
        for (Evidence e : r.evidence()) {
          if (e.subject() != null) {
            ids.add(e.subject());
            for (String part : e.subject().split(":")) {
              if (part.chars().anyMatch(Character::isLetter)) {
                ids.add(part);
              }
            }
          }
        }
      }
    }
    return ids;
  }
}
