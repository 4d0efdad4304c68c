package dev.vigil.models.registry;

import dev.vigil.models.FeatureSchema;
import dev.vigil.models.FeatureVector;
import dev.vigil.models.IncompatibleModelException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The batch-trained models in use, one per service, scoring each closed window beside the streaming
 * detectors. {@link #refresh} reads the registry and swaps in every newer version whose feature
 * schema and format fit, without touching the streaming detectors' state; a version that does not
 * fit is refused (the reason is kept for {@link #status()}) and the model in use stays. A service
 * without a trained model is simply not scored here: the streaming detectors cover it from its
 * first window (cold start), and it gets a model at the next retraining.
 *
 * <p>Thread-safe: {@link #score} (the pipeline thread) and {@link #refresh} (a poller) may run at
 * once; a swap replaces one immutable slot. The clock only stamps when a model started scoring.
 */
public final class TrainedModelScorer {
  private record Slot(
      LoadedModel model,
      java.time.Instant since,
      AtomicLong scored,
      AtomicReference<ModelScore> last) {}

  private final FeatureSchema schema;
  private final Clock clock;
  private final Map<String, Slot> slots = new ConcurrentHashMap<>();
  private final Map<String, String> refused = new ConcurrentHashMap<>();

  /**
   * @param schema the feature schema of the vectors this instance scores; models of another one are
   *     refused
   * @param clock stamps when a model started scoring
   */
  public TrainedModelScorer(FeatureSchema schema, Clock clock) {
    this.schema = schema;
    this.clock = clock;
  }

  /**
   * Loads every model of the registry newer than the one in use.
   *
   * @return one line per swap or refusal, e.g. {@code checkout: isolation_forest v1 -> v2}
   */
  public synchronized List<String> refresh(ModelRegistry registry) {
    List<String> changes = new ArrayList<>();
    for (RegisteredModel m : registry.current()) {
      if (m.isForecaster()) {
        continue; // the ForecasterSlot's
      }
      Slot in = slots.get(m.service());
      if (in != null && in.model().record().version() >= m.version()) {
        continue;
      }
      try {
        LoadedModel loaded = LoadedModel.load(m, schema);
        slots.put(
            m.service(),
            new Slot(loaded, clock.instant(), new AtomicLong(), new AtomicReference<>()));
        refused.remove(m.service());
        changes.add(
            m.service()
                + ": "
                + (in == null
                    ? "none"
                    : in.model().record().kind() + " v" + in.model().record().version())
                + " -> "
                + m.kind()
                + " v"
                + m.version());
      } catch (IncompatibleModelException e) {
        String before = refused.put(m.service(), e.getMessage());
        if (!e.getMessage().equals(before)) {
          changes.add(m.service() + ": refused " + m.describe() + ": " + e.getMessage());
        }
      }
    }
    for (String p : registry.problems()) {
      changes.add("registry: " + p);
    }
    return changes;
  }

  /** Scores a service's window vector with its model, if it has one. Never throws on bad input. */
  public Optional<ModelScore> score(String service, FeatureVector vector) {
    Slot slot = slots.get(service);
    if (slot == null || vector.dimensions() != schema.dimensions()) {
      return Optional.empty();
    }
    double[] x = vector.values();
    double raw = slot.model().rawScore(x);
    RegisteredModel r = slot.model().record();
    ModelScore s =
        new ModelScore(
            service, r.describe(), raw, r.calibration().apply(raw), slot.model().alarm(x, raw));
    slot.scored().incrementAndGet();
    slot.last().set(s);
    return Optional.of(s);
  }

  /** Every service with a model in use or a refused one, sorted by service. */
  public List<ModelStatus> status() {
    TreeSet<String> services = new TreeSet<>(slots.keySet());
    services.addAll(refused.keySet());
    List<ModelStatus> out = new ArrayList<>();
    for (String s : services) {
      Slot slot = slots.get(s);
      out.add(
          new ModelStatus(
              s,
              Optional.ofNullable(slot).map(x -> x.model().record()),
              Optional.ofNullable(slot).map(Slot::since),
              slot == null ? 0 : slot.scored().get(),
              Optional.ofNullable(slot).map(x -> x.last().get()),
              Optional.ofNullable(refused.get(s))));
    }
    return out;
  }
}
