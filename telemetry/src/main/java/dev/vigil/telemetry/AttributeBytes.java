package dev.vigil.telemetry;

import java.util.Arrays;
import java.util.Base64;

/**
 * An OTLP {@code bytes_value} attribute: immutable, equal by content, and rendered as base64 (as
 * OTLP/JSON writes bytes), so that records holding one compare and print by value. A bare {@code
 * byte[]} would be neither: two decodings of the same bytes would differ.
 */
public final class AttributeBytes {
  private final byte[] bytes;

  private AttributeBytes(byte[] bytes) {
    this.bytes = bytes;
  }

  /** A copy of {@code bytes}. */
  public static AttributeBytes of(byte[] bytes) {
    return new AttributeBytes(bytes.clone());
  }

  /** A copy of the bytes. */
  public byte[] toByteArray() {
    return bytes.clone();
  }

  public int size() {
    return bytes.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AttributeBytes other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return Base64.getEncoder().encodeToString(bytes);
  }
}
