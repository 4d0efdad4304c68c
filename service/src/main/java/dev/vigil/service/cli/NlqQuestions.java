package dev.vigil.service.cli;

import dev.vigil.trainingdata.sim.Fault;
import dev.vigil.trainingdata.sim.Topology;
import java.util.ArrayList;
import java.util.List;

/**
 * The questions of the evaluation, written from a scenario's ground truth (which services are
 * faulty, of which kind, who calls them), half in English and half in Chinese.
 */
final class NlqQuestions {
  private NlqQuestions() {}

  /** What a correct answer must show besides being grounded and citing real traces. */
  enum Expect {
    /** The root cause is a faulty service, or none on a healthy system. */
    CAUSE,
    /** The unknown service is named and nothing is answered about another. */
    UNKNOWN,
    /** At least one trace id is cited. */
    TRACES,
    /** Numbers side by side. */
    COMPARISON
  }

  /**
   * A question with what it names and what the answer must show.
   *
   * @param service the service the question names, or null
   */
  record Case(String question, boolean chinese, String service, Expect expect) {}

  static List<Case> of(NlqScenario scenario, Topology topology) {
    String entry = topology.entry();
    Fault f = scenario.faults().isEmpty() ? null : scenario.faults().get(0);
    // The service asked about by name: the (first) faulty one, or one in the middle of the graph.
    String named = f != null ? f.service() : "catalog";
    boolean errors = f != null && f.kind() == Fault.Kind.ERRORS;
    String caller = callerOf(named, topology, entry);
    String typo = named.substring(0, named.length() - 2) + named.charAt(named.length() - 1);
    String slowEn = errors ? "failing" : "slow";
    String slowZh = errors ? "报错" : "变慢了";
    List<Case> out = new ArrayList<>();
    out.add(new Case("why is " + entry + " " + slowEn + "?", false, entry, Expect.CAUSE));
    out.add(new Case("why is my service slow?", false, null, Expect.CAUSE));
    out.add(new Case("what is the root cause now?", false, null, Expect.CAUSE));
    out.add(
        new Case(
            "why is " + caller + " " + slowEn + " in the last 15 minutes?",
            false,
            caller,
            Expect.CAUSE));
    out.add(new Case("which services are affected and how badly?", false, null, Expect.CAUSE));
    out.add(new Case("is " + named + " healthy?", false, named, Expect.CAUSE));
    out.add(
        new Case(
            "show " + (errors ? "failed" : "slow") + " traces of " + named,
            false,
            named,
            Expect.TRACES));
    out.add(new Case("what should I check next?", false, null, Expect.CAUSE));
    out.add(
        new Case(
            "compare " + entry + " in the last 5 minutes with 15 minutes ago",
            false,
            entry,
            Expect.COMPARISON));
    out.add(new Case("what changed in the last 10 minutes?", false, null, Expect.CAUSE));
    out.add(new Case("why is inventory slow?", false, null, Expect.UNKNOWN));
    out.add(new Case("why is " + typo + " " + slowEn + "?", false, named, Expect.CAUSE));

    out.add(new Case("为什么 " + entry + " " + slowZh + "？", true, entry, Expect.CAUSE));
    out.add(new Case("为什么过去1小时我的服务响应变慢了?", true, null, Expect.CAUSE));
    out.add(new Case("现在的根因是什么？", true, null, Expect.CAUSE));
    out.add(new Case("为什么过去15分钟 " + caller + " " + slowZh + "？", true, caller, Expect.CAUSE));
    out.add(new Case("哪些服务受影响？影响有多大？", true, null, Expect.CAUSE));
    out.add(new Case(named + " 健康吗？", true, named, Expect.CAUSE));
    out.add(
        new Case("给我看 " + named + " 的" + (errors ? "失败" : "慢") + "追踪", true, named, Expect.TRACES));
    out.add(new Case("下一步应该检查什么？", true, null, Expect.CAUSE));
    out.add(new Case(entry + " 和15分钟前相比怎么样？", true, entry, Expect.COMPARISON));
    out.add(new Case("过去10分钟有什么变化？", true, null, Expect.CAUSE));
    out.add(new Case("为什么 inventory 服务很慢？", true, null, Expect.UNKNOWN));
    out.add(new Case("从9点开始 " + named + " 服务为什么" + slowZh + "？", true, named, Expect.CAUSE));
    return out;
  }

  /** A caller of the service other than the entry when there is one. */
  private static String callerOf(String service, Topology topology, String entry) {
    String fallback = entry;
    for (List<String> e : topology.edges()) {
      if (e.get(1).equals(service)) {
        if (!e.get(0).equals(entry)) {
          return e.get(0);
        }
        fallback = e.get(0);
      }
    }
    return fallback;
  }
}
