package dev.vigil.ingest;

import java.util.function.Consumer;

/** The sink runs on the ingest thread, one record at a time. See {@link SinkStage#direct}. */
final class DirectSinkStage implements SinkStage {
  private final RecordHandler handler;
  private final TelemetrySink sink;
  private long delivered;

  DirectSinkStage(RecordHandler handler, TelemetrySink sink) {
    this.handler = handler;
    this.sink = sink;
  }

  @Override
  public void submit(IngestedRecord record) {
    handler.deliver(record);
    delivered++;
  }

  @Override
  public void control(Consumer<TelemetrySink> call) {
    call.accept(sink);
  }

  @Override
  public Progress progress() {
    return new Progress(delivered, sink.durableUpTo());
  }

  @Override
  public void drain() {}

  @Override
  public boolean isSinkThread(Thread thread) {
    return false;
  }

  @Override
  public void close() {}
}
