package dev.vigil.features;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.telemetry.SpanKind;
import dev.vigil.telemetry.SpanView;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TraceRulesTest {

  /** A trace built span by span; times in milliseconds. */
  private static final class Trace implements TraceRules.Tree {
    private record Span(
        int parent, String service, SpanKind kind, boolean isError, long start, long end)
        implements SpanView {
      @Override
      public long startEpochNanos() {
        return start * 1_000_000L;
      }

      @Override
      public long endEpochNanos() {
        return end * 1_000_000L;
      }
    }

    private final List<Span> spans = new ArrayList<>();
    private final List<List<Integer>> children = new ArrayList<>();

    int add(int parent, String service, SpanKind kind, boolean error, long start, long end) {
      spans.add(new Span(parent, service, kind, error, start, end));
      children.add(new ArrayList<>());
      if (parent != TraceRules.NONE) {
        children.get(parent).add(spans.size() - 1);
      }
      return spans.size() - 1;
    }

    TraceRules.Entry entry(int i, boolean leafCallsKnown) {
      return TraceRules.entry(this, i, leaf -> leafCallsKnown, new int[size()]);
    }

    @Override
    public int size() {
      return spans.size();
    }

    @Override
    public int parent(int i) {
      return spans.get(i).parent();
    }

    @Override
    public int childCount(int i) {
      return children.get(i).size();
    }

    @Override
    public int child(int i, int k) {
      return children.get(i).get(k);
    }

    @Override
    public SpanView span(int i) {
      return spans.get(i);
    }
  }

  @Test
  void selfTimeIsTheDurationLessTheUnionOfTheCallsDownToOtherServices() {
    Trace t = new Trace();
    int front = t.add(TraceRules.NONE, "front", SpanKind.SERVER, false, 0, 100);
    int local = t.add(front, "front", SpanKind.INTERNAL, false, 5, 60);
    int client = t.add(local, "front", SpanKind.CLIENT, false, 10, 40);
    t.add(client, "back", SpanKind.SERVER, false, 12, 38);
    t.add(front, "front", SpanKind.CLIENT, false, 30, 70); // overlaps the first call
    int db = t.add(local, "front", SpanKind.CLIENT, false, 80, 90); // a database: no children

    assertThat(TraceRules.isEntry(t, front)).isTrue();
    assertThat(TraceRules.isEntry(t, local)).isFalse();
    assertThat(TraceRules.isEntry(t, db)).isFalse();
    // calls cover 10-70 and 80-90: 70 ms of 100
    assertThat(t.entry(front, true).selfNanos()).isEqualTo(30_000_000L);
  }

  @Test
  void spansWithoutKindsAreEntriesAtServiceBoundariesAndCallsWhenAllTheirChildrenAreElsewhere() {
    Trace t = new Trace();
    int front = t.add(TraceRules.NONE, "front", SpanKind.UNSPECIFIED, false, 0, 100);
    int call = t.add(front, "front", SpanKind.UNSPECIFIED, false, 10, 90);
    int back = t.add(call, "back", SpanKind.UNSPECIFIED, false, 20, 80);
    int work = t.add(back, "back", SpanKind.UNSPECIFIED, false, 30, 40);

    assertThat(TraceRules.isEntry(t, front)).isTrue();
    assertThat(TraceRules.isEntry(t, back)).isTrue();
    assertThat(TraceRules.isEntry(t, work)).isFalse();
    assertThat(TraceRules.isClientLike(t, call)).isTrue();
    assertThat(TraceRules.isClientLike(t, back)).isFalse();
    // the client-like span's whole 80 ms is waiting on back, not front's own time
    assertThat(t.entry(front, true).selfNanos()).isEqualTo(20_000_000L);
    assertThat(t.entry(back, true).selfNanos()).isEqualTo(60_000_000L);
  }

  @Test
  void anErrorIsTheEntrysOwnUnlessACallFailedInTheServiceCalled() {
    // the callee's span failed: the caller's error is relayed
    Trace relayed = new Trace();
    int a = relayed.add(TraceRules.NONE, "front", SpanKind.SERVER, true, 0, 100);
    int c = relayed.add(a, "front", SpanKind.CLIENT, true, 10, 50);
    relayed.add(c, "back", SpanKind.SERVER, true, 12, 48);
    assertThat(relayed.entry(a, true).ownError()).isFalse();

    // the callee answered, the caller failed on its own
    Trace own = new Trace();
    int b = own.add(TraceRules.NONE, "front", SpanKind.SERVER, true, 0, 100);
    int d = own.add(b, "front", SpanKind.CLIENT, false, 10, 50);
    own.add(d, "back", SpanKind.SERVER, false, 12, 48);
    assertThat(own.entry(b, true).ownError()).isTrue();

    // a failed call with no span below it: the callee's failure when the callee is known
    Trace refused = new Trace();
    int e = refused.add(TraceRules.NONE, "front", SpanKind.SERVER, true, 0, 100);
    refused.add(e, "front", SpanKind.CLIENT, true, 10, 50);
    assertThat(refused.entry(e, true).ownError()).isFalse();
    assertThat(refused.entry(e, false).ownError()).isTrue();
  }
}
