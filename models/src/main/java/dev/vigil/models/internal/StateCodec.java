package dev.vigil.models.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import dev.vigil.models.IncompatibleModelException;
import java.io.IOException;

/**
 * Writes and reads learnt state as CBOR (RFC 8949) with Jackson: state records (and the state
 * classes of AWS's random cut forest mapper) map field by field, doubles are written as their 8
 * bytes, so a restored model computes exactly what the saved one would have, and byte arrays are
 * written as they are, so a state may nest another's bytes. Reading is strict: an unknown or
 * missing field is an error, reported as {@link IncompatibleModelException}.
 */
public final class StateCodec {
  private static final ObjectMapper CBOR =
      CBORMapper.builder()
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
          .build();

  private StateCodec() {}

  /** The CBOR bytes of a state value. */
  public static byte[] write(Object state) {
    try {
      return CBOR.writeValueAsBytes(state);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + state.getClass().getSimpleName(), e);
    }
  }

  /**
   * Reads a state value of the given type.
   *
   * @param what names the state in the error message, e.g. {@code bin_novelty detector state}
   * @throws IncompatibleModelException if the bytes are not such a state
   */
  public static <T> T read(byte[] bytes, Class<T> type, String what) {
    try {
      T value = CBOR.readValue(bytes, type);
      if (value == null) {
        throw new IncompatibleModelException(what + " is empty");
      }
      return value;
    } catch (IOException | RuntimeException e) {
      if (e instanceof IncompatibleModelException i) {
        throw i;
      }
      throw new IncompatibleModelException(
          what + " cannot be read (corrupt, or written by another format): " + e.getMessage());
    }
  }

  /**
   * Reads CBOR bytes as a tree, for headers that must be checked before the rest is read.
   *
   * @throws IncompatibleModelException if the bytes are not one CBOR object
   */
  public static JsonNode readTree(byte[] bytes, String what) {
    try {
      JsonNode node = CBOR.readTree(bytes);
      if (node == null || !node.isObject()) {
        throw new IncompatibleModelException(
            what + " cannot be read (corrupt, or not a Vigil state): not a CBOR object");
      }
      return node;
    } catch (IOException | RuntimeException e) {
      if (e instanceof IncompatibleModelException i) {
        throw i;
      }
      throw new IncompatibleModelException(
          what + " cannot be read (corrupt, or not a Vigil state): " + e.getMessage());
    }
  }
}
