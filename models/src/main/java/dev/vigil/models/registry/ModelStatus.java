package dev.vigil.models.registry;

import java.time.Instant;
import java.util.Optional;

/**
 * What scores a service, for {@code GET /api/models}.
 *
 * @param service the service
 * @param model the model in use, if any
 * @param since when this instance started scoring with it
 * @param scoredWindows windows it scored since then
 * @param lastScore its last verdict, if it scored any window
 * @param refused why the newest registered version was refused (the model in use stays), if it was
 */
public record ModelStatus(
    String service,
    Optional<RegisteredModel> model,
    Optional<Instant> since,
    long scoredWindows,
    Optional<ModelScore> lastScore,
    Optional<String> refused) {}
