package dev.vigil.service.cli;

import dev.vigil.nlq.Answer;
import dev.vigil.nlq.DiagnosticAnswerer;
import dev.vigil.nlq.Grounding;
import dev.vigil.nlq.LiveState;
import dev.vigil.nlq.Question;
import dev.vigil.nlq.QuestionParser;
import dev.vigil.rca.Incident;
import dev.vigil.service.cli.NlqQuestions.Case;
import dev.vigil.trainingdata.sim.Fault;
import dev.vigil.trainingdata.sim.MicroserviceSimulator;
import dev.vigil.trainingdata.sim.Topology;
import java.lang.management.ManagementFactory;
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
 * {@code vigil evaluate nlq [--seed S] [--repeat N] [--verbose]}: asks the offline planner the
 * questions of {@link NlqQuestions#of} and, scored apart, its unseen phrasings ({@link
 * NlqQuestions#unseen}, {@link NlqQuestions#heldOut}) over the simulated scenarios of {@link
 * NlqScenario#standard()} (latency, errors, two simultaneous faults, a healthy system), each run
 * through the whole pipeline, and prints the share answered correctly and the answer times. An
 * answer is correct when it names the right root cause (a faulty service the question's service
 * depends on) or, on the healthy system, none; is about the service the question names; says so for
 * an unknown service; passes the grounding check against its tool outputs (every number, id and
 * service in it is in them); and cites only trace ids the simulator produced. Then every question
 * is asked N more times (default {@value #DEFAULT_REPEAT}) with the embedding model loaded, and the
 * answer times (parse and plan, as {@code /api/ask} spends them) are printed as p50, p95 and max
 * with the load average.
 */
final class EvaluateNlqCommand {
  private static final Pattern TRACE_ID = Pattern.compile("\\b[0-9a-f]{32}\\b");

  private EvaluateNlqCommand() {}

  /** Timed passes over every question of a scenario after the scored pass, by default. */
  static final int DEFAULT_REPEAT = 10;

  static int run(List<String> argv) throws UsageException {
    Args args = Args.parse("evaluate nlq", argv, Set.of("verbose"), Set.of("seed", "repeat"));
    if (!args.positional().isEmpty()) {
      throw new UsageException(
          "unexpected argument "
              + args.positional()
              + "; usage: evaluate nlq [--seed S] [--repeat N] [--verbose]");
    }
    long seed =
        args.intValue("seed", (int) MicroserviceSimulator.DEFAULT_SEED, 0, Integer.MAX_VALUE);
    int repeat = args.intValue("repeat", DEFAULT_REPEAT, 0, 1000);
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
    ScoreTally templates = new ScoreTally();
    ScoreTally unseen = new ScoreTally();
    ScoreTally unseenB = new ScoreTally();
    ScoreTally heldOut = new ScoreTally();
    TimesTally firstAsk = new TimesTally();
    TimesTally repeated = new TimesTally();
    double loadBefore = loadAverage();
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
          incidents(state));
      List<Case> seen = NlqQuestions.of(scenario, topology);
      List<Case> fresh = NlqQuestions.unseen(scenario, topology);
      List<Case> freshB = NlqQuestions.unseenB(scenario, topology);
      List<Case> held = NlqQuestions.heldOut(scenario, topology);
      int ok =
          score(
              seen, scenario, topology, state, run, parser, answerer, templates, firstAsk, verbose);
      System.out.printf(Locale.ROOT, "  templates: %d/%d correct%n", ok, seen.size());
      ok =
          score(fresh, scenario, topology, state, run, parser, answerer, unseen, firstAsk, verbose);
      System.out.printf(Locale.ROOT, "  unseen phrasings A: %d/%d correct%n", ok, fresh.size());
      ok =
          score(
              freshB, scenario, topology, state, run, parser, answerer, unseenB, firstAsk, verbose);
      System.out.printf(Locale.ROOT, "  unseen phrasings B: %d/%d correct%n", ok, freshB.size());
      ok =
          score(held, scenario, topology, state, run, parser, answerer, heldOut, firstAsk, verbose);
      System.out.printf(Locale.ROOT, "  held-out phrasings: %d/%d correct%n", ok, held.size());
      for (int r = 0; r < repeat; r++) {
        for (Case c : seen) {
          time(c, state, parser, answerer, repeated);
        }
        for (Case c : fresh) {
          time(c, state, parser, answerer, repeated);
        }
        for (Case c : freshB) {
          time(c, state, parser, answerer, repeated);
        }
        for (Case c : held) {
          time(c, state, parser, answerer, repeated);
        }
      }
    }
    System.out.println();
    templates.print("NLQ (offline planner), template questions");
    unseen.print("NLQ (offline planner), unseen phrasings A (the parser was changed for them)");
    unseenB.print("NLQ (offline planner), unseen phrasings B (the parser was changed for them)");
    heldOut.print("NLQ (offline planner), held-out phrasings (never used to change the parser)");
    System.out.printf(
        Locale.ROOT,
        "load average (1 min) %.2f before, %.2f after, on %d cores%n",
        loadBefore,
        loadAverage(),
        Runtime.getRuntime().availableProcessors());
    firstAsk.print("answer time, first ask of each question");
    if (repeat > 0) {
      repeated.print("answer time, " + repeat + " more asks of each");
    }
    return 0;
  }

  private static int score(
      List<Case> cases,
      NlqScenario scenario,
      Topology topology,
      LiveState state,
      NlqScenario.Run run,
      QuestionParser parser,
      DiagnosticAnswerer answerer,
      ScoreTally tally,
      TimesTally times,
      boolean verbose) {
    int ok = 0;
    for (Case c : cases) {
      Answer a = time(c, state, parser, answerer, times);
      List<String> problems = problems(c, a, scenario, topology, state, run);
      tally.add(c.chinese(), problems.isEmpty());
      ok += problems.isEmpty() ? 1 : 0;
      if (!problems.isEmpty() || verbose) {
        System.out.printf(
            Locale.ROOT,
            "  %s %s (%.1f ms)%n    -> %s%n",
            problems.isEmpty() ? "ok  " : "FAIL",
            c.question(),
            times.last(),
            a.text().length() > 400 ? a.text().substring(0, 400) + "..." : a.text());
        problems.forEach(p -> System.out.println("    ! " + p));
      }
    }
    return ok;
  }

  /** Parses and answers, as {@code /api/ask} does, and records the time of both together. */
  private static Answer time(
      Case c, LiveState state, QuestionParser parser, DiagnosticAnswerer answerer, TimesTally t) {
    long start = System.nanoTime();
    Question q = parser.parse(c.question(), state);
    long parsed = System.nanoTime();
    Answer a = answerer.answer(q, state);
    long done = System.nanoTime();
    t.add((parsed - start) / 1e6, (done - parsed) / 1e6);
    return a;
  }

  private static String incidents(LiveState state) {
    if (state.incidents().isEmpty()) {
      return "";
    }
    StringBuilder sb = new StringBuilder(":");
    // Newest first in the state: listed oldest first.
    for (int i = state.incidents().size() - 1; i >= 0; i--) {
      Incident inc = state.incidents().get(i);
      sb.append(' ')
          .append(inc.id())
          .append(" top cause ")
          .append(inc.rootCauses().isEmpty() ? "none" : inc.rootCauses().get(0).service())
          .append(i > 0 ? ";" : "");
    }
    return sb.toString();
  }

  private static double loadAverage() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  /** Correct answers counted by language. Mutable. */
  private static final class ScoreTally {
    private int correct;
    private int total;
    private int correctZh;
    private int totalZh;

    void add(boolean chinese, boolean ok) {
      total++;
      correct += ok ? 1 : 0;
      if (chinese) {
        totalZh++;
        correctZh += ok ? 1 : 0;
      }
    }

    void print(String what) {
      System.out.printf(
          Locale.ROOT,
          "%s: %d/%d correct (%.1f%%); English %d/%d, Chinese %d/%d%n",
          what,
          correct,
          total,
          total == 0 ? 0.0 : 100.0 * correct / total,
          correct - correctZh,
          total - totalZh,
          correctZh,
          totalZh);
    }
  }

  /** Answer times (parse + plan), and the parse and plan parts apart. Mutable. */
  private static final class TimesTally {
    private final List<Double> total = new ArrayList<>();
    private final List<Double> parse = new ArrayList<>();
    private final List<Double> plan = new ArrayList<>();

    void add(double parseMillis, double planMillis) {
      parse.add(parseMillis);
      plan.add(planMillis);
      total.add(parseMillis + planMillis);
    }

    double last() {
      return total.get(total.size() - 1);
    }

    void print(String what) {
      if (total.isEmpty()) {
        return;
      }
      System.out.printf(
          Locale.ROOT,
          "%s: p50 %.1f ms, p95 %.1f ms, max %.1f ms over %d answers"
              + " (parse p95 %.1f ms, plan p95 %.1f ms)%n",
          what,
          quantile(total, 0.5),
          quantile(total, 0.95),
          quantile(total, 1.0),
          total.size(),
          quantile(parse, 0.95),
          quantile(plan, 0.95));
    }
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

  private static double quantile(List<Double> values, double q) {
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    int i = (int) Math.ceil(q * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }
}
