package dev.vigil.trainingdata.sim;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes spans to an OTLP protobuf file as the OTLP file exporter specification frames them: each
 * export is one {@code TracesData} message (the SDK's own marshaler's bytes) prefixed by its length
 * as a varint. {@code vigil analyze} and {@code vigil retrain} read such files back ({@code
 * OtlpFileReader}). Thread-safe; {@link #shutdown} closes the file once.
 */
public final class OtlpFileSpanExporter implements SpanExporter {
  private final OutputStream out;
  private final AtomicLong spans = new AtomicLong();
  private boolean closed;

  /** Creates (or truncates) {@code file}. */
  public OtlpFileSpanExporter(Path file) {
    try {
      this.out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + file, e);
    }
  }

  @Override
  public synchronized CompletableResultCode export(Collection<SpanData> batch) {
    if (closed) {
      return CompletableResultCode.ofFailure();
    }
    byte[] bytes = KafkaSpanExporter.marshal(batch);
    try {
      writeVarint(bytes.length);
      out.write(bytes);
      spans.addAndGet(batch.size());
      return CompletableResultCode.ofSuccess();
    } catch (IOException e) {
      return CompletableResultCode.ofExceptionalFailure(e);
    }
  }

  private void writeVarint(int value) throws IOException {
    int v = value;
    while ((v & ~0x7F) != 0) {
      out.write((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    out.write(v);
  }

  @Override
  public synchronized CompletableResultCode flush() {
    try {
      if (!closed) {
        out.flush();
      }
      return CompletableResultCode.ofSuccess();
    } catch (IOException e) {
      return CompletableResultCode.ofExceptionalFailure(e);
    }
  }

  @Override
  public synchronized CompletableResultCode shutdown() {
    if (closed) {
      return CompletableResultCode.ofSuccess();
    }
    closed = true;
    try {
      out.close();
      return CompletableResultCode.ofSuccess();
    } catch (IOException e) {
      return CompletableResultCode.ofExceptionalFailure(e);
    }
  }

  /** Spans written so far. */
  public long spans() {
    return spans.get();
  }
}
