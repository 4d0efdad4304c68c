package dev.vigil.models;

/**
 * A named source of {@link UnivariateDetector}s, found with {@link java.util.ServiceLoader} so that
 * detectors in optional modules (the LSTM runtime) are available when their jar is on the class
 * path. See {@link UnivariateDetectors}.
 */
public interface UnivariateDetectorProvider {

  /** The detector's name, as it appears in result paths, e.g. {@code lstm}. */
  String name();

  /** One line for the command-line help. */
  String description();

  /** A fresh detector for one series. */
  UnivariateDetector create();
}
