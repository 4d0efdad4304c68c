package dev.vigil.service.alerting;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Validates JSON against a definition of a Swagger 2.0 document (the subset Alertmanager's spec
 * uses: $ref, allOf, type, properties, required, additionalProperties, items, enum, formats
 * date-time and uri). Stricter than Alertmanager in one way, on purpose: a property that no branch
 * of an object's schema declares is an error, so a misspelt field cannot pass.
 */
final class SwaggerSchema {
  private final JsonNode definitions;

  private SwaggerSchema(JsonNode root) {
    this.definitions = root.get("definitions");
  }

  static SwaggerSchema alertmanagerV2() {
    try (InputStream in =
        SwaggerSchema.class.getResourceAsStream("/alertmanager/openapi-v2.yaml")) {
      return new SwaggerSchema(new ObjectMapper(new YAMLFactory()).readTree(in));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The violations of {@code value} against the named definition; empty when it is valid. */
  List<String> validate(String definition, JsonNode value) {
    List<String> errors = new ArrayList<>();
    check(definitions.get(definition), value, "$", errors);
    return errors;
  }

  private JsonNode resolve(JsonNode schema) {
    while (schema.has("$ref")) {
      String ref = schema.get("$ref").asText();
      schema = definitions.get(ref.substring(ref.lastIndexOf('/') + 1));
    }
    return schema;
  }

  private void check(JsonNode schema, JsonNode v, String at, List<String> errors) {
    schema = resolve(schema);
    if (schema.has("allOf")) {
      Set<String> declared = new HashSet<>();
      for (JsonNode part : schema.get("allOf")) {
        JsonNode p = resolve(part);
        checkOne(p, v, at, errors, false);
        p.path("properties").fieldNames().forEachRemaining(declared::add);
      }
      if (v.isObject()) {
        v.fieldNames()
            .forEachRemaining(
                f -> {
                  if (!declared.contains(f)) {
                    errors.add(at + "." + f + ": not in the schema");
                  }
                });
      }
      return;
    }
    checkOne(schema, v, at, errors, true);
  }

  private void checkOne(JsonNode s, JsonNode v, String at, List<String> errors, boolean closed) {
    String type = s.path("type").asText("");
    switch (type) {
      case "object" -> {
        if (!v.isObject()) {
          errors.add(at + ": expected an object, got " + v.getNodeType());
          return;
        }
        for (JsonNode r : s.path("required")) {
          if (!v.has(r.asText())) {
            errors.add(at + ": missing required " + r.asText());
          }
        }
        JsonNode props = s.path("properties");
        for (Iterator<String> it = v.fieldNames(); it.hasNext(); ) {
          String f = it.next();
          if (props.has(f)) {
            check(props.get(f), v.get(f), at + "." + f, errors);
          } else if (s.has("additionalProperties")) {
            check(s.get("additionalProperties"), v.get(f), at + "." + f, errors);
          } else if (closed && props.size() > 0) {
            errors.add(at + "." + f + ": not in the schema");
          }
        }
      }
      case "array" -> {
        if (!v.isArray()) {
          errors.add(at + ": expected an array, got " + v.getNodeType());
          return;
        }
        for (int i = 0; i < v.size(); i++) {
          check(s.get("items"), v.get(i), at + "[" + i + "]", errors);
        }
      }
      case "string" -> {
        if (!v.isTextual()) {
          errors.add(at + ": expected a string, got " + v.getNodeType());
          return;
        }
        String format = s.path("format").asText("");
        if (format.equals("date-time")) {
          try {
            OffsetDateTime.parse(v.asText());
          } catch (DateTimeParseException e) {
            errors.add(at + ": not an RFC 3339 date-time: " + v.asText());
          }
        } else if (format.equals("uri")) {
          try {
            if (!URI.create(v.asText()).isAbsolute()) {
              errors.add(at + ": not an absolute URI: " + v.asText());
            }
          } catch (IllegalArgumentException e) {
            errors.add(at + ": not a URI: " + v.asText());
          }
        }
        if (s.has("enum")) {
          boolean found = false;
          for (JsonNode e : s.get("enum")) {
            found |= e.asText().equals(v.asText());
          }
          if (!found) {
            errors.add(at + ": " + v.asText() + " is not one of " + s.get("enum"));
          }
        }
      }
      case "integer" -> {
        if (!v.isIntegralNumber()) {
          errors.add(at + ": expected an integer");
        }
      }
      case "boolean" -> {
        if (!v.isBoolean()) {
          errors.add(at + ": expected a boolean");
        }
      }
      default -> {
        // no type: anything goes
      }
    }
  }
}
