package dev.vigil.service.streams;

import dev.vigil.service.pipeline.VigilPipeline;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The window engine of this instance, while its task runs here: what the HTTP API and the assistant
 * read. Empty on an instance that does not run it (the engine is one task for the whole
 * application; see {@link EngineProcessor}).
 */
public final class EngineHandle {
  private final AtomicReference<VigilPipeline> current = new AtomicReference<>();

  void attach(VigilPipeline pipeline) {
    current.set(pipeline);
  }

  void detach(VigilPipeline pipeline) {
    current.compareAndSet(pipeline, null);
  }

  public Optional<VigilPipeline> current() {
    return Optional.ofNullable(current.get());
  }
}
