package dev.vigil.models;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Where a trained model came from, after Tribuo's {@code ModelProvenance}: enough to retrain it and
 * to refuse it for data it was not trained on.
 *
 * @param trainer the trainer's name, e.g. {@code isolation_forest}
 * @param trainerConfig every trainer parameter, by name, as text
 * @param dataStart event time of the first training row
 * @param dataEnd event time of the last training row
 * @param rows number of training rows
 * @param featureSchemaHash {@link FeatureSchema#hash()} of the training data
 * @param seed the random seed
 * @param codeVersion the Vigil version that trained it
 * @param trainedAt when training finished (from the injected clock)
 */
public record ModelProvenance(
    String trainer,
    Map<String, String> trainerConfig,
    Instant dataStart,
    Instant dataEnd,
    long rows,
    String featureSchemaHash,
    long seed,
    String codeVersion,
    Instant trainedAt) {

  /** Copies the configuration into a sorted, unmodifiable map. */
  public ModelProvenance {
    trainerConfig = java.util.Collections.unmodifiableMap(new TreeMap<>(trainerConfig));
  }

  /** The Vigil version of this build (the Maven project version), or {@code dev} if unknown. */
  public static String currentCodeVersion() {
    try (InputStream in = ModelProvenance.class.getResourceAsStream("vigil-version.properties")) {
      if (in == null) {
        return "dev";
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version", "dev");
    } catch (IOException e) {
      return "dev";
    }
  }
}
