package dev.vigil.ingest.http.server;

import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Reads and throws away the rest of a request body after its rejection was sent, then completes the
 * exchange: a lingering close. A server that closes a connection with unread bytes in its receive
 * buffer makes the kernel send a reset, and a client that is still sending then loses the answer
 * already on its way (the JDK client reports "header parser received no bytes"; an OTLP exporter
 * sees a connection error and retries the same oversized batch instead of dropping it on the 413).
 * Bounded in bytes and time, so a client cannot keep a rejected request alive: past either bound
 * the connection is closed as it is. Holds no thread while it waits ({@link Request#demand}).
 */
final class BodyDiscarder implements Runnable {
  private final Request request;
  private final Callback callback;
  private final long maxBytes;
  private Scheduler.Task deadline;
  private long discarded;
  private boolean done;

  private BodyDiscarder(Request request, Callback callback, long maxBytes) {
    this.request = request;
    this.callback = callback;
    this.maxBytes = maxBytes;
  }

  /**
   * Discards what is left of {@code request}'s body, then succeeds {@code callback}.
   *
   * @param maxBytes the most bytes thrown away; a body declaring more is not read at all
   * @param maxMillis the most time spent
   */
  static void discard(Request request, Callback callback, long maxBytes, long maxMillis) {
    long declared = request.getHeaders().getLongField("Content-Length");
    if (declared > maxBytes) {
      callback.succeeded();
      return;
    }
    BodyDiscarder discarder = new BodyDiscarder(request, callback, maxBytes);
    synchronized (discarder) {
      discarder.deadline =
          request
              .getComponents()
              .getScheduler()
              .schedule(discarder::stop, maxMillis, TimeUnit.MILLISECONDS);
    }
    discarder.run();
  }

  @Override
  public synchronized void run() {
    while (!done) {
      Content.Chunk chunk = request.read();
      if (chunk == null) {
        request.demand(this);
        return;
      }
      discarded += chunk.remaining();
      boolean end = chunk.isLast() || Content.Chunk.isFailure(chunk);
      chunk.release();
      if (end || discarded > maxBytes) {
        stop();
      }
    }
  }

  private synchronized void stop() {
    if (done) {
      return;
    }
    done = true;
    if (deadline != null) {
      deadline.cancel();
    }
    callback.succeeded();
  }
}
