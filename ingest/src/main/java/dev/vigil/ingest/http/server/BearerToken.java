package dev.vigil.ingest.http.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A secret that clients present as {@code Authorization: Bearer <token>} (RFC 6750). It is read
 * from the environment ({@value #ENV}) or a file, compared in constant time, and never printed:
 * {@link #toString()} is redacted and no message of this class contains it.
 */
public final class BearerToken {
  /** The environment variable that holds the token when no file is given. */
  public static final String ENV = "VIGIL_HTTP_TOKEN";

  /** The shortest token accepted: shorter ones are too easy to guess. */
  public static final int MIN_LENGTH = 16;

  private static final String SCHEME = "bearer ";

  private final byte[] digest;

  private BearerToken(String token, String source) {
    if (token.length() < MIN_LENGTH) {
      throw new IllegalArgumentException(
          "the bearer token from "
              + source
              + " has "
              + token.length()
              + " characters; it must have at least "
              + MIN_LENGTH
              + " (e.g. openssl rand -hex 32)");
    }
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      if (c <= ' ' || c > '~') {
        throw new IllegalArgumentException(
            "the bearer token from "
                + source
                + " must be printable ASCII without spaces (character "
                + (i + 1)
                + " is not)");
      }
    }
    this.digest = sha256(token);
  }

  /** A token given as is (tests, or a value the caller read itself). */
  public static BearerToken of(String token) {
    return new BearerToken(Objects.requireNonNull(token, "token"), "the caller");
  }

  /**
   * Reads the token from a file: its content without the trailing line break or spaces.
   *
   * @throws IllegalArgumentException if the file cannot be read or the token is too short
   */
  public static BearerToken fromFile(Path file) {
    String content;
    try {
      content = Files.readString(file, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the bearer token file " + file + ": " + e);
    }
    return new BearerToken(content, "file " + file);
  }

  /**
   * The token from {@code file} when given, else from {@value #ENV} when set and not blank, else
   * none.
   *
   * @param environment the process environment ({@code System.getenv()})
   * @param file the token file, or null
   */
  public static Optional<BearerToken> resolve(Map<String, String> environment, Path file) {
    if (file != null) {
      return Optional.of(fromFile(file));
    }
    String value = environment.get(ENV);
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    return Optional.of(new BearerToken(value.strip(), "environment variable " + ENV));
  }

  /**
   * Whether an {@code Authorization} header carries this token. The comparison takes the same time
   * whatever the header holds (both sides are hashed, then compared with {@link
   * MessageDigest#isEqual}), so timing tells an attacker nothing about the token.
   */
  public boolean matches(String authorization) {
    if (authorization == null
        || authorization.length() < SCHEME.length()
        || !authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
      return false;
    }
    return MessageDigest.isEqual(digest, sha256(authorization.substring(SCHEME.length()).strip()));
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  @Override
  public String toString() {
    return "BearerToken[redacted]";
  }
}
