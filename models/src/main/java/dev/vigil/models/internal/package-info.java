/**
 * Helpers shared by the model packages and not part of Vigil's API: the binary codec of learnt
 * state ({@link dev.vigil.models.internal.StateCodec}) and the state of a ring of recent values
 * ({@link dev.vigil.models.internal.RingState}).
 */
package dev.vigil.models.internal;
