package dev.vigil.ingest.http.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * TLS for a listener: a PKCS12 keystore holding the server's key and certificate chain, and a file
 * holding the keystore's password (so the password is neither on the command line nor in the
 * configuration file). Both are checked when the listener is built.
 *
 * @param keystore the PKCS12 keystore
 * @param passwordFile a file whose content (without a trailing line break) is the password
 */
public record TlsOptions(Path keystore, Path passwordFile) {
  /**
   * @throws NullPointerException if a path is null
   */
  public TlsOptions {
    Objects.requireNonNull(keystore, "keystore");
    Objects.requireNonNull(passwordFile, "passwordFile");
  }

  /** Reads the password; the message of a failure names the file, never its content. */
  String password() {
    if (!Files.isReadable(keystore)) {
      throw new IllegalArgumentException("cannot read the TLS keystore " + keystore);
    }
    try {
      return Files.readString(passwordFile, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read the TLS keystore password file " + passwordFile + ": " + e);
    }
  }
}
