package dev.vigil.models;

/**
 * A batch trainer: fits a model on a {@link TrainingSet}, after Tribuo's {@code Trainer}. Training
 * is deterministic for a given seed, and the model carries {@link ModelProvenance}.
 *
 * @param <M> the model type
 */
public interface Trainer<M> {

  /** The seed used when none is given, as Tribuo's {@code Trainer.DEFAULT_SEED}. */
  long DEFAULT_SEED = 12345L;

  /** Trains a model on {@code data}. */
  M train(TrainingSet data);

  /** A short stable name recorded in provenance, e.g. {@code isolation_forest}. */
  String name();
}
