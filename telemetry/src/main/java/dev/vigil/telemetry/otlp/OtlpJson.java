package dev.vigil.telemetry.otlp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;

/**
 * OTLP/JSON to protobuf. The OTLP/JSON mapping differs from protobuf's canonical JSON in one way
 * that matters: trace and span ids are hex, not base64. Rather than re-implement the JSON mapping,
 * this rewrites those id fields to base64 and lets protobuf's {@link JsonFormat} (which already
 * accepts 64-bit integers as strings or numbers and enums as integers) do the rest.
 */
final class OtlpJson {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Set<String> ID_FIELDS = Set.of("traceId", "spanId", "parentSpanId");
  private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();

  private OtlpJson() {}

  /**
   * A hex id that does not parse becomes this one-byte id, which the id checks reject; so a lenient
   * decode rejects just the item that carries it.
   */
  private static final String INVALID_ID = Base64.getEncoder().encodeToString(new byte[1]);

  /**
   * Parses OTLP/JSON into {@code builder}.
   *
   * @param strictIds if true, an id that is not hex fails the whole message; if false, it is
   *     replaced by an invalid id so that only its item is rejected later
   */
  static void merge(byte[] json, Message.Builder builder, boolean strictIds)
      throws OtlpDecodeException {
    JsonNode tree;
    try {
      tree = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new OtlpDecodeException(
          OtlpDecodeException.MALFORMED_JSON, "not valid JSON: " + e.getOriginalMessage(), e);
    } catch (java.io.IOException e) {
      throw new OtlpDecodeException(OtlpDecodeException.MALFORMED_JSON, "not valid JSON", e);
    }
    if (tree == null || !tree.isObject()) {
      throw new OtlpDecodeException(
          OtlpDecodeException.MALFORMED_JSON, "an OTLP/JSON message must be a JSON object");
    }
    rewriteIds(tree, strictIds);
    try {
      PARSER.merge(MAPPER.writeValueAsString(tree), builder);
    } catch (InvalidProtocolBufferException | JsonProcessingException e) {
      throw new OtlpDecodeException(
          OtlpDecodeException.MALFORMED_JSON,
          "not a valid OTLP/JSON message: " + e.getMessage(),
          e);
    }
  }

  private static void rewriteIds(JsonNode node, boolean strict) throws OtlpDecodeException {
    if (node instanceof ObjectNode obj) {
      for (Map.Entry<String, JsonNode> e : obj.properties()) {
        if (ID_FIELDS.contains(e.getKey()) && e.getValue().isTextual()) {
          String base64;
          try {
            base64 = hexToBase64(e.getKey(), e.getValue().asText());
          } catch (OtlpDecodeException bad) {
            if (strict) {
              throw bad;
            }
            base64 = INVALID_ID;
          }
          e.setValue(obj.textNode(base64));
        } else {
          rewriteIds(e.getValue(), strict);
        }
      }
    } else if (node instanceof ArrayNode arr) {
      for (JsonNode child : arr) {
        rewriteIds(child, strict);
      }
    }
  }

  private static String hexToBase64(String field, String hex) throws OtlpDecodeException {
    try {
      return Base64.getEncoder().encodeToString(HexFormat.of().parseHex(hex));
    } catch (IllegalArgumentException e) {
      String reason =
          field.equals("traceId")
              ? OtlpDecodeException.INVALID_TRACE_ID
              : OtlpDecodeException.INVALID_SPAN_ID;
      throw new OtlpDecodeException(
          reason, field + " must be hex in OTLP/JSON, got \"" + abbreviate(hex) + "\"", e);
    }
  }

  private static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "...";
  }
}
