package dev.vigil.service.cli;

import dev.vigil.nlq.Answer;
import dev.vigil.nlq.DiagnosticAnswerer;
import dev.vigil.nlq.Grounding;
import dev.vigil.nlq.LiveState;
import dev.vigil.nlq.QuestionParser;
import dev.vigil.service.cli.NlqQuestions.Case;
import dev.vigil.trainingdata.sim.Fault;
import dev.vigil.trainingdata.sim.MicroserviceSimulator;
import dev.vigil.trainingdata.sim.Topology;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code vigil evaluate nlq [--seed S] [--verbose]}: asks the offline planner the questions of
 * {@link NlqQuestions} over the simulated scenarios of {@link NlqScenario#standard()} (latency,
 * errors, two simultaneous faults, a healthy system), each run through the whole pipeline, and
 * prints the share answered correctly and the answer times. An answer is correct when it names the
 * right root cause (a faulty service the question's service depends on) or, on the healthy system,
 * none; is about the service the question names; says so for an unknown service; passes the
 * grounding check against its tool outputs (every number, id and service in it is in them); and
 * cites only trace ids the simulator produced.
 */
final class EvaluateNlqCommand {
  private static final Pattern TRACE_ID = Pattern.compile("\\b[0-9a-f]{32}\\b");

  private EvaluateNlqCommand() {}

  static int run(List<String> argv) throws UsageException {
    Args args = Args.parse("evaluate nlq", argv, Set.of("verbose"), Set.of("seed"));
    if (!args.positional().isEmpty()) {
      throw new UsageException(
          "unexpected argument "
              + args.positional()
              + "; usage: evaluate nlq [--seed S] [--verbose]");
    }
    long seed =
        args.intValue("seed", (int) MicroserviceSimulator.DEFAULT_SEED, 0, Integer.MAX_VALUE);
    boolean verbose = args.flag("verbose");
    long load = System.nanoTime();
    boolean semantic = QuestionParser.warmUp();
    System.out.printf(
        Locale.ROOT,
        "embedding model %s in %.1f s (before timing)%n",
        semantic ? "loaded" : "unavailable, names matched by spelling only",
        (System.nanoTime() - load) / 1e9);
    Topology topology = Topology.shop();
    DiagnosticAnswerer answerer = DiagnosticAnswerer.offline();
    QuestionParser parser = QuestionParser.utc();
    List<Double> millis = new ArrayList<>();
    int correct = 0;
    int total = 0;
    int correctZh = 0;
    int totalZh = 0;
    for (NlqScenario scenario : NlqScenario.standard()) {
      long t0 = System.nanoTime();
      NlqScenario.Run run = scenario.run(seed);
      LiveState state = run.state().snapshot();
      System.out.printf(
          Locale.ROOT,
          "%n%s: simulated %d min in %.1f s; %d incidents%s%n",
          scenario.name(),
          NlqScenario.WARM_UP.plus(NlqScenario.FAULT).toMinutes(),
          (System.nanoTime() - t0) / 1e9,
          state.incidents().size(),
          state.incidents().isEmpty()
              ? ""
              : " (first: "
                  + state.incidents().get(state.incidents().size() - 1).id()
                  + " top cause "
                  + (state.incidents().get(state.incidents().size() - 1).rootCauses().isEmpty()
                      ? "none"
                      : state
                          .incidents()
                          .get(state.incidents().size() - 1)
                          .rootCauses()
                          .get(0)
                          .service())
                  + ")");
      int ok = 0;
      List<Case> cases = NlqQuestions.of(scenario, topology);
      for (Case c : cases) {
        long start = System.nanoTime();
        Answer a = answerer.answer(parser.parse(c.question(), state), state);
        millis.add((System.nanoTime() - start) / 1e6);
        List<String> problems = problems(c, a, scenario, topology, state, run);
        total++;
        totalZh += c.chinese() ? 1 : 0;
        if (problems.isEmpty()) {
          ok++;
          correct++;
          correctZh += c.chinese() ? 1 : 0;
        }
        if (!problems.isEmpty() || verbose) {
          System.out.printf(
              Locale.ROOT,
              "  %s %s (%.1f ms)%n    -> %s%n",
              problems.isEmpty() ? "ok  " : "FAIL",
              c.question(),
              millis.get(millis.size() - 1),
              a.text().length() > 400 ? a.text().substring(0, 400) + "..." : a.text());
          problems.forEach(p -> System.out.println("    ! " + p));
        }
      }
      System.out.printf(Locale.ROOT, "  %d/%d correct%n", ok, cases.size());
    }
    double[] t = millis.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    System.out.printf(
        Locale.ROOT,
        "%nNLQ (offline planner): %d/%d correct (%.1f%%); English %d/%d, Chinese %d/%d%n",
        correct,
        total,
        100.0 * correct / total,
        correct - correctZh,
        total - totalZh,
        correctZh,
        totalZh);
    System.out.printf(
        Locale.ROOT,
        "answer time: p50 %.1f ms, p95 %.1f ms, max %.1f ms over %d questions%n",
        quantile(t, 0.5),
        quantile(t, 0.95),
        t[t.length - 1],
        t.length);
    return 0;
  }

  static List<String> problems(
      Case c,
      Answer a,
      NlqScenario scenario,
      Topology topology,
      LiveState state,
      NlqScenario.Run run) {
    List<String> problems = new ArrayList<>();
    if (c.service() != null && !c.service().equals(a.service())) {
      problems.add("about " + a.service() + ", expected " + c.service());
    }
    switch (c.expect()) {
      case CAUSE -> {
        Set<String> expected = expectedCauses(c, scenario, topology);
        if (expected.isEmpty() && a.rootCause() != null) {
          problems.add("names root cause " + a.rootCause() + " on a healthy system");
        } else if (!expected.isEmpty() && !expected.contains(a.rootCause())) {
          problems.add("root cause " + a.rootCause() + ", expected one of " + expected);
        }
      }
      case UNKNOWN -> {
        if (!a.text().startsWith("I don't know service") && !a.text().startsWith("我不知道服务")) {
          problems.add("does not say the service is unknown");
        }
        if (a.rootCause() != null || a.service() != null) {
          problems.add("answers about " + a.service() + "/" + a.rootCause());
        }
      }
      case TRACES -> {
        if (a.citations().stream().noneMatch(id -> TRACE_ID.matcher(id).matches())) {
          problems.add("cites no trace");
        }
      }
      case COMPARISON -> {
        if (!a.text().contains(" vs ") && !a.text().contains("对比")) {
          problems.add("no side-by-side numbers");
        }
      }
    }
    problems.addAll(Grounding.check(a, state, a.text()));
    Matcher m = TRACE_ID.matcher(a.text());
    while (m.find()) {
      if (!run.feed().hasTrace(m.group())) {
        problems.add("trace " + m.group() + " was never produced");
      }
    }
    return problems;
  }

  /** The faults the question's service depends on (itself or downstream); every fault if none. */
  static Set<String> expectedCauses(Case c, NlqScenario scenario, Topology topology) {
    Set<String> faulty = new HashSet<>();
    scenario.faults().stream().map(Fault::service).forEach(faulty::add);
    if (c.service() == null || faulty.isEmpty()) {
      return faulty;
    }
    Set<String> reach = new HashSet<>();
    Deque<String> todo = new ArrayDeque<>(List.of(c.service()));
    while (!todo.isEmpty()) {
      String s = todo.pop();
      if (reach.add(s)) {
        topology.edges().stream().filter(e -> e.get(0).equals(s)).forEach(e -> todo.push(e.get(1)));
      }
    }
    reach.retainAll(faulty);
    return reach.isEmpty() ? faulty : reach;
  }

  private static double quantile(double[] sorted, double q) {
    int i = (int) Math.ceil(q * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }
}
