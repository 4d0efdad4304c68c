package dev.vigil.models;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The names and order of the features a model was trained on, and how they were transformed. Its
 * {@link #hash()} is recorded in every trained model's provenance, and a model is refused for data
 * of another schema ({@link #requireSame}).
 *
 * @param features feature ids in vector order, e.g. {@code p95_latency}
 * @param transform how raw values enter the vector, e.g. {@code log1p(latency, rate)}
 */
public record FeatureSchema(List<String> features, String transform) {

  /**
   * The per-service vector of the batch detectors: latency quantiles, error rate and request rate.
   * Latencies and the request rate enter as {@code log1p}, the error rate as is.
   */
  public static final FeatureSchema SERVICE_LATENCY_ERRORS_RATE =
      new FeatureSchema(
          List.of("p50_latency", "p95_latency", "p99_latency", "error_rate", "request_rate"),
          "log1p(latency, request_rate); error_rate raw");

  /** Copies the list and checks it. */
  public FeatureSchema {
    features = List.copyOf(features);
    if (features.isEmpty()) {
      throw new IllegalArgumentException("features must not be empty");
    }
    if (transform == null) {
      throw new IllegalArgumentException("transform must not be null");
    }
  }

  /** A schema of plain (untransformed) features. */
  public static FeatureSchema of(String... features) {
    return new FeatureSchema(List.of(features), "identity");
  }

  public int dimensions() {
    return features.size();
  }

  /** The first 16 hex digits of the SHA-256 of the feature ids and the transform. */
  public String hash() {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      digest.update(String.join("|", features).getBytes(StandardCharsets.UTF_8));
      digest.update((byte) 0);
      digest.update(transform.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest.digest()).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }

  /**
   * Checks that a model trained under the schema with hash {@code modelSchemaHash} may score data
   * of this schema.
   *
   * @throws IncompatibleModelException naming both hashes and this schema's features otherwise
   */
  public void requireSame(String modelSchemaHash, String modelName) {
    if (!hash().equals(modelSchemaHash)) {
      throw new IncompatibleModelException(
          modelName
              + " was trained on feature schema "
              + modelSchemaHash
              + " but the data has schema "
              + hash()
              + " "
              + features
              + " ("
              + transform
              + "); retrain the model on this schema");
    }
  }
}
