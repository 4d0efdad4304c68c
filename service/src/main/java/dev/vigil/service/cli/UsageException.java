package dev.vigil.service.cli;

/** A command line that cannot be run; the message says what is wrong and how to fix it. */
public final class UsageException extends Exception {
  private static final long serialVersionUID = 1L;

  public UsageException(String message) {
    super(message);
  }
}
