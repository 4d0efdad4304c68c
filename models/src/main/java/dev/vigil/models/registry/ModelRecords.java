package dev.vigil.models.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.models.IncompatibleModelException;
import dev.vigil.models.ModelProvenance;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The persisted form of a {@link RegisteredModel}, the same in a registry directory and as the
 * value of a {@code vigil.models} record: a JSON document {@code {"format": "vigil.model",
 * "version": N, "service", "kind", "modelVersion", "promotedAt", "provenance", "tribuoProvenance",
 * "evaluation", "calibration", "reason", "payload" (base64)}}. A document of an unknown format or a
 * newer version is refused with a message that says so.
 */
public final class ModelRecords {
  /** The format written by this version of the code. */
  public static final int CURRENT_VERSION = 1;

  static final String FORMAT = "vigil.model";
  private static final ObjectMapper JSON = new ObjectMapper();

  private ModelRecords() {}

  public static byte[] toBytes(RegisteredModel m) {
    ObjectNode root = JSON.createObjectNode();
    root.put("format", FORMAT);
    root.put("version", CURRENT_VERSION);
    root.put("service", m.service());
    root.put("kind", m.kind());
    root.put("modelVersion", m.version());
    root.put("promotedAt", m.promotedAt().toString());
    ModelProvenance p = m.provenance();
    ObjectNode prov = root.putObject("provenance");
    prov.put("trainer", p.trainer());
    ObjectNode config = prov.putObject("trainerConfig");
    p.trainerConfig().forEach(config::put);
    prov.put("dataStart", p.dataStart().toString());
    prov.put("dataEnd", p.dataEnd().toString());
    prov.put("rows", p.rows());
    prov.put("featureSchemaHash", p.featureSchemaHash());
    prov.put("seed", p.seed());
    prov.put("codeVersion", p.codeVersion());
    prov.put("trainedAt", p.trainedAt().toString());
    root.put("tribuoProvenance", m.tribuoProvenance());
    ObjectNode evaluation = root.putObject("evaluation");
    m.evaluation().forEach(evaluation::put);
    ObjectNode calibration = root.putObject("calibration");
    calibration.put("mean", m.calibration().mean());
    calibration.put("sd", m.calibration().sd());
    root.put("reason", m.reason());
    root.put("payload", Base64.getEncoder().encodeToString(m.payload()));
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode " + m.describe(), e);
    }
  }

  /**
   * Reads a record.
   *
   * @param source where the bytes came from, for messages
   * @throws IncompatibleModelException if it is not a model record, or of a newer version
   */
  public static RegisteredModel fromBytes(byte[] bytes, String source) {
    JsonNode root;
    try {
      root = JSON.readTree(bytes);
    } catch (IOException e) {
      throw new IncompatibleModelException(source + " is not a model record: " + e.getMessage());
    }
    if (root == null || !FORMAT.equals(root.path("format").asText())) {
      throw new IncompatibleModelException(
          source + " is not a model record (format '" + root.path("format").asText() + "')");
    }
    int version = root.path("version").asInt(-1);
    if (version < 1 || version > CURRENT_VERSION) {
      throw new IncompatibleModelException(
          source
              + " is a model record of version "
              + version
              + "; this Vigil reads 1.."
              + CURRENT_VERSION
              + " (upgrade Vigil or retrain with this one)");
    }
    try {
      JsonNode prov = root.required("provenance");
      Map<String, String> config = new LinkedHashMap<>();
      prov.required("trainerConfig")
          .properties()
          .forEach(e -> config.put(e.getKey(), e.getValue().asText()));
      ModelProvenance provenance =
          new ModelProvenance(
              prov.required("trainer").asText(),
              config,
              Instant.parse(prov.required("dataStart").asText()),
              Instant.parse(prov.required("dataEnd").asText()),
              prov.required("rows").asLong(),
              prov.required("featureSchemaHash").asText(),
              prov.required("seed").asLong(),
              prov.required("codeVersion").asText(),
              Instant.parse(prov.required("trainedAt").asText()));
      Map<String, Double> evaluation = new LinkedHashMap<>();
      root.required("evaluation")
          .properties()
          .forEach(e -> evaluation.put(e.getKey(), e.getValue().asDouble()));
      JsonNode c = root.required("calibration");
      return new RegisteredModel(
          root.required("service").asText(),
          root.required("kind").asText(),
          root.required("modelVersion").asInt(),
          Instant.parse(root.required("promotedAt").asText()),
          provenance,
          root.required("tribuoProvenance").asText(),
          evaluation,
          new RegisteredModel.Calibration(
              c.required("mean").asDouble(), c.required("sd").asDouble()),
          root.required("reason").asText(),
          Base64.getDecoder().decode(root.required("payload").asText()));
    } catch (IllegalArgumentException | java.time.DateTimeException e) {
      throw new IncompatibleModelException(
          source + " is an invalid model record: " + e.getMessage());
    }
  }
}
