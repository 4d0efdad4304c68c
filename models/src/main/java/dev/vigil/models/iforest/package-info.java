/**
 * Isolation forest (Liu, Ting and Zhou, ICDM 2008), trained in batch on a service's feature
 * vectors: {@link dev.vigil.models.iforest.IsolationForestTrainer} grows the trees and sets the
 * alarm threshold from the contamination, {@link dev.vigil.models.iforest.IsolationForest} scores
 * points, and {@link dev.vigil.models.iforest.IsolationForestState} saves and loads versioned state
 * with provenance, refusing a state trained on another feature schema.
 */
package dev.vigil.models.iforest;
