package dev.vigil.ingest.http.server;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;

/**
 * Reads a request body whole without holding a thread: it reads what has arrived, then asks Jetty
 * to call it again when more does ({@link Request#demand}). The body counts against the request's
 * limit (413 once crossed, for chunked bodies whose length was not declared) and against a budget
 * shared by the listener's requests (503 once it is spent); the bytes taken from the budget are
 * given back with {@link #release()}.
 */
final class BodyReader implements Runnable {
  /** What a read ends with. */
  interface Outcome {
    void body(byte[] body);

    void tooLarge(long read);

    void overBudget();

    /** No bytes within the idle timeout: {@code transientFailure} and the stream can answer. */
    void failed(Throwable failure, boolean transientFailure);
  }

  private final Request request;
  private final long limit;
  private final AtomicLong budget;
  private final long budgetLimit;
  private final Outcome outcome;
  private final ByteArrayOutputStream bytes;
  private long reserved;
  private boolean done;

  BodyReader(
      Request request,
      long declaredLength,
      long limit,
      AtomicLong budget,
      long budgetLimit,
      Outcome outcome) {
    this.request = request;
    this.limit = limit;
    this.budget = budget;
    this.budgetLimit = budgetLimit;
    this.outcome = outcome;
    this.bytes =
        new ByteArrayOutputStream((int) Math.min(Math.max(declaredLength, 256), 64 * 1024));
  }

  @Override
  public synchronized void run() {
    while (!done) {
      Content.Chunk chunk = request.read();
      if (chunk == null) {
        request.demand(this);
        return;
      }
      if (Content.Chunk.isFailure(chunk)) {
        finish();
        outcome.failed(chunk.getFailure(), !chunk.isLast());
        return;
      }
      try {
        ByteBuffer buffer = chunk.getByteBuffer();
        int n = buffer.remaining();
        if (n > 0) {
          if (bytes.size() + (long) n > limit) {
            finish();
            outcome.tooLarge(bytes.size() + (long) n);
            return;
          }
          if (budget.addAndGet(n) > budgetLimit) {
            budget.addAndGet(-n);
            finish();
            outcome.overBudget();
            return;
          }
          reserved += n;
          if (buffer.hasArray()) {
            bytes.write(buffer.array(), buffer.arrayOffset() + buffer.position(), n);
          } else {
            byte[] copy = new byte[n];
            buffer.get(copy);
            bytes.write(copy, 0, n);
          }
        }
      } finally {
        chunk.release();
      }
      if (chunk.isLast()) {
        done = true;
        outcome.body(bytes.toByteArray());
        return;
      }
    }
  }

  /**
   * Stops reading (the body deadline passed) unless the read already ended.
   *
   * @return whether this call stopped it: the caller answers the request
   */
  synchronized boolean cancel() {
    if (done) {
      return false;
    }
    finish();
    return true;
  }

  /** Gives the body's bytes back to the shared budget; idempotent. */
  synchronized void release() {
    budget.addAndGet(-reserved);
    reserved = 0;
  }

  private void finish() {
    done = true;
    release();
    bytes.reset();
  }
}
