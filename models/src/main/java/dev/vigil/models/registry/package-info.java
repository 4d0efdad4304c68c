/**
 * The model registry: promoted batch-trained models, versioned per service with their provenance,
 * evaluation and score calibration ({@link dev.vigil.models.registry.RegisteredModel}, persisted by
 * {@link dev.vigil.models.registry.ModelRecords}), kept in a directory or a compacted Kafka topic
 * behind {@link dev.vigil.models.registry.ModelRegistry}; and the live side, {@link
 * dev.vigil.models.registry.TrainedModelScorer}, which holds the model in use per service, swaps it
 * when a newer version appears and refuses one of another feature schema.
 */
package dev.vigil.models.registry;
