package dev.vigil.models;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.models.internal.StateCodec;
import java.io.IOException;
import java.util.zip.CRC32;

/**
 * The header around one service's snapshot of a monitor, checked before anything is restored: a
 * CBOR map of {@code format} (which monitor wrote it), {@code version} (of the format), {@code
 * vigilVersion} (the build that wrote it, for the messages), {@code service}, {@code schema} (the
 * feature schema's hash), {@code config} (the configuration that shapes the learnt state) and
 * {@code state} (the monitor's bytes) with its {@code crc32}, so that a flipped bit is refused
 * rather than restored as a slightly different model. The header is read as a tree, so that a state
 * of another version is refused by its version, not by a parse error of what follows.
 */
final class StateEnvelope {
  /** The format version this build writes and reads. */
  static final int CURRENT_VERSION = 1;

  private StateEnvelope() {}

  /** Wraps a service's state in the current format. */
  static byte[] seal(Header header, byte[] state) {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    root.put("format", header.format());
    root.put("version", CURRENT_VERSION);
    root.put("vigilVersion", ModelProvenance.currentCodeVersion());
    root.put("service", header.service());
    root.put("schema", header.schemaHash());
    root.put("config", header.config());
    root.put("state", state);
    root.put("crc32", crc32(state));
    return StateCodec.write(root);
  }

  /**
   * The state inside a snapshot, if its header matches {@code expected}.
   *
   * @throws IncompatibleModelException naming what differs, and the build that wrote it
   */
  static byte[] open(byte[] bytes, Header expected) {
    String what = "the " + expected.format() + " state of service '" + expected.service() + "'";
    if (bytes == null || bytes.length == 0) {
      throw refused(what + " is empty");
    }
    JsonNode root;
    try {
      root = StateCodec.readTree(bytes, what);
    } catch (IncompatibleModelException e) {
      throw refused(e.getMessage());
    }
    String writer = " (written by Vigil " + root.path("vigilVersion").asText("unknown") + ")";
    String format = root.path("format").asText("");
    if (!format.equals(expected.format())) {
      throw refused(what + " has format '" + format + "'" + writer);
    }
    int version = root.path("version").asInt(-1);
    if (version != CURRENT_VERSION) {
      throw refused(
          what
              + " has format version "
              + version
              + writer
              + "; this build reads version "
              + CURRENT_VERSION);
    }
    mustEqual(what, "service", root.path("service").asText(""), expected.service(), writer);
    mustEqual(
        what, "feature schema", root.path("schema").asText(""), expected.schemaHash(), writer);
    mustEqual(what, "configuration", root.path("config").asText(""), expected.config(), writer);
    JsonNode state = root.path("state");
    try {
      if (!state.isBinary()) {
        throw refused(what + " has no state" + writer);
      }
      byte[] content = state.binaryValue();
      if (root.path("crc32").asLong(-1) != crc32(content)) {
        throw refused(what + " fails its checksum (corrupt)" + writer);
      }
      return content;
    } catch (IOException e) {
      throw refused(what + " has an unreadable state" + writer + ": " + e.getMessage());
    }
  }

  private static long crc32(byte[] bytes) {
    CRC32 crc = new CRC32();
    crc.update(bytes);
    return crc.getValue();
  }

  private static void mustEqual(
      String what, String field, String actual, String expected, String writer) {
    if (!actual.equals(expected)) {
      throw refused(
          what
              + " was learnt for "
              + field
              + " '"
              + actual
              + "'"
              + writer
              + " but this monitor has '"
              + expected
              + "'");
    }
  }

  /** The refusal of a state whose header matched but whose content could not be restored. */
  static IncompatibleModelException refused(String format, String service, RuntimeException e) {
    String cause =
        e instanceof IncompatibleModelException
            ? e.getMessage()
            : e.getClass().getSimpleName() + ": " + e.getMessage();
    return refused(
        "the " + format + " state of service '" + service + "' cannot be restored: " + cause);
  }

  static IncompatibleModelException refused(String message) {
    return new IncompatibleModelException(message + "; refused, the service relearns");
  }

  /**
   * What a snapshot must match.
   *
   * @param format which monitor wrote it, e.g. {@code vigil.service_monitor}
   * @param service the service
   * @param schemaHash the hash of the feature schema the state was learnt on
   * @param config the configuration that shapes the state, as readable text
   */
  record Header(String format, String service, String schemaHash, String config) {}
}
