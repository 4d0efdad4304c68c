package dev.vigil.models.univariate;

import dev.vigil.models.UnivariateDetector;
import dev.vigil.models.UnivariateDetectorProvider;
import java.util.Collections;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The univariate detectors Vigil knows by name: the built-in ones and any {@link
 * UnivariateDetectorProvider} on the class path (e.g. {@code lstm} from {@code vigil-models-lstm}).
 */
public final class UnivariateDetectors {

  /** The detector the service uses by default, and its best on the Numenta Anomaly Benchmark. */
  public static final String DEFAULT = "bin_novelty";

  private UnivariateDetectors() {}

  /** Every available detector by name, with a one-line description, sorted by name. */
  public static Map<String, String> available() {
    Map<String, String> out = new TreeMap<>();
    providers().forEach((name, p) -> out.put(name, p.description()));
    return Collections.unmodifiableMap(out);
  }

  /**
   * A factory of fresh detectors of the named kind.
   *
   * @throws IllegalArgumentException naming the valid choices if there is no such detector
   */
  public static Supplier<UnivariateDetector> factory(String name) {
    UnivariateDetectorProvider p = providers().get(name);
    if (p == null) {
      throw new IllegalArgumentException(
          "unknown detector '"
              + name
              + "'; valid detectors: "
              + String.join(", ", available().keySet()));
    }
    return p::create;
  }

  private static Map<String, UnivariateDetectorProvider> providers() {
    Map<String, UnivariateDetectorProvider> map = new TreeMap<>();
    put(
        map,
        "bin_novelty",
        "first visits to value bins + the ensemble, repeated alarms debounced (default)",
        BinNoveltyDetector::new);
    put(
        map,
        "ensemble",
        "level, change and seasonal deviations + range rule",
        NoveltyEnsembleDetector::new);
    put(
        map,
        "seasonal_baseline",
        "robust median/MAD band by time of day and week",
        SeasonalBaselineDetector::new);
    put(
        map,
        "random_cut_forest",
        "streaming random cut forest, shingle 8",
        ForestUnivariateDetector::randomCutForest);
    put(
        map,
        "isolation_forest",
        "isolation forest on shingles of 8, retrained every 1000 points",
        ForestUnivariateDetector::isolationForest);
    for (UnivariateDetectorProvider p : ServiceLoader.load(UnivariateDetectorProvider.class)) {
      map.putIfAbsent(p.name(), p);
    }
    return map;
  }

  private static void put(
      Map<String, UnivariateDetectorProvider> map,
      String name,
      String description,
      Supplier<UnivariateDetector> factory) {
    map.put(
        name,
        new UnivariateDetectorProvider() {
          @Override
          public String name() {
            return name;
          }

          @Override
          public String description() {
            return description;
          }

          @Override
          public UnivariateDetector create() {
            return factory.get();
          }
        });
  }
}
