package dev.vigil.service.streams;

import dev.vigil.service.pipeline.VigilPipeline;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The learnt state of the window engine's pipeline (detectors, baselines, incidents, alerts) in a
 * changelogged store: written as windows close, in the same transaction as the window's outputs,
 * and restored when the engine starts (after a restart or a move to another instance), so that
 * detection does not start a new warm-up. Parts the pipeline refuses (another format or schema) are
 * logged and relearnt, never half-loaded (see {@link VigilPipeline#restoreState}).
 */
final class EngineState {
  private static final Logger LOG = LoggerFactory.getLogger(EngineState.class);
  private final KeyValueStore<String, byte[]> store;
  private final VigilPipeline pipeline;

  EngineState(KeyValueStore<String, byte[]> store, VigilPipeline pipeline) {
    this.store = store;
    this.pipeline = pipeline;
  }

  void restore() {
    Map<String, byte[]> parts = new HashMap<>();
    try (KeyValueIterator<String, byte[]> it = store.all()) {
      while (it.hasNext()) {
        KeyValue<String, byte[]> kv = it.next();
        parts.put(kv.key, kv.value);
      }
    }
    if (!parts.isEmpty()) {
      pipeline.restoreState(parts);
      LOG.info("window engine: restored {} state parts", parts.size());
    }
  }

  /** Writes the parts of the state that changed in the window that just closed. */
  void windowClosed() {
    pipeline
        .snapshotState()
        .forEach(
            (key, bytes) -> {
              if (bytes == null) {
                store.delete(key);
              } else {
                store.put(key, bytes);
              }
            });
  }
}
