package dev.vigil.service.models;

import dev.vigil.models.registry.ForecasterSlot;
import dev.vigil.models.registry.ModelRegistry;
import dev.vigil.models.registry.TrainedModelScorer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hot swap: reads the registry every {@code interval} on a daemon thread and lets the scorer swap
 * in newer models (and the forecaster slot a newer forecaster of the predictive alerts), while the
 * pipeline keeps its streaming state. A failing read is logged and tried again at the next tick; it
 * never stops the service.
 */
public final class ModelRegistryPoller implements AutoCloseable {
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);
  private static final Logger log = LoggerFactory.getLogger(ModelRegistryPoller.class);

  private final ModelRegistry registry;
  private final TrainedModelScorer scorer;
  private final ForecasterSlot forecaster;
  private final ScheduledExecutorService executor =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "vigil-model-registry");
            t.setDaemon(true);
            return t;
          });

  public ModelRegistryPoller(ModelRegistry registry, TrainedModelScorer scorer) {
    this(registry, scorer, null);
  }

  /**
   * @param forecaster also swaps the registry's forecaster of the predictive alerts in, or null
   */
  public ModelRegistryPoller(
      ModelRegistry registry, TrainedModelScorer scorer, ForecasterSlot forecaster) {
    this.registry = registry;
    this.scorer = scorer;
    this.forecaster = forecaster;
  }

  /** Loads the registry now, then every {@code interval}; returns what the first load changed. */
  public List<String> start(Duration interval) {
    List<String> first = poll();
    executor.scheduleWithFixedDelay(
        this::poll, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    return first;
  }

  /** One read of the registry; every swap and refusal is logged. */
  public List<String> poll() {
    try {
      List<String> changes = new java.util.ArrayList<>(scorer.refresh(registry));
      if (forecaster != null) {
        changes.addAll(forecaster.refresh(registry));
      }
      changes.forEach(c -> log.info("models: {}", c));
      return changes;
    } catch (RuntimeException e) {
      log.warn("cannot read the model registry {}; keeping the models in use", registry, e);
      return List.of("registry unreadable: " + e.getMessage());
    }
  }

  /** Stops polling and releases the registry's connections (a Kafka registry's clients). */
  @Override
  public void close() {
    executor.shutdownNow();
    try {
      executor.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    ModelRegistries.close(registry);
  }
}
