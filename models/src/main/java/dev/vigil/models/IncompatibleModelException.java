package dev.vigil.models;

/**
 * A saved model that cannot be used: its feature schema differs from the data's, or its state
 * format is unknown. The message says which and what to do.
 */
public final class IncompatibleModelException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public IncompatibleModelException(String message) {
    super(message);
  }
}
