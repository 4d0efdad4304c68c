package dev.vigil.ingest.http;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads a request body with a size limit that holds while reading: on the bytes as sent and again
 * on the bytes after gunzip, so neither a large upload nor a small zip bomb is ever held whole.
 */
final class RequestBody {
  private RequestBody() {}

  /**
   * @param in the raw body
   * @param gzip whether the body is gzip-encoded
   * @param declaredLength the {@code Content-Length}, or -1 when unknown (chunked)
   * @param limit the most bytes accepted, compressed or not
   */
  static byte[] read(InputStream in, boolean gzip, long declaredLength, int limit)
      throws RequestRejected {
    try {
      if (declaredLength > limit) {
        discard(in, limit);
        throw tooLarge("the body has " + declaredLength + " bytes", limit);
      }
      byte[] raw;
      try {
        raw = readAtMost(in, limit, "the body");
      } catch (RequestRejected e) {
        discard(in, limit);
        throw e;
      }
      if (!gzip) {
        return raw;
      }
      try (InputStream unzipped = new GZIPInputStream(new java.io.ByteArrayInputStream(raw))) {
        return readAtMost(unzipped, limit, "the body after gunzip");
      } catch (ZipException | EOFException e) {
        throw new RequestRejected(
            400, RequestRejected.MALFORMED_GZIP, "the body is not valid gzip: " + e.getMessage());
      }
    } catch (IOException e) {
      throw new RequestRejected(400, RequestRejected.READ_ERROR, "could not read the body: " + e);
    }
  }

  private static byte[] readAtMost(InputStream in, int limit, String what)
      throws IOException, RequestRejected {
    ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(limit, 64 * 1024));
    byte[] buffer = new byte[16 * 1024];
    long total = 0;
    int n;
    while ((n = in.read(buffer)) != -1) {
      total += n;
      if (total > limit) {
        throw tooLarge(what + " has more than " + limit + " bytes", limit);
      }
      out.write(buffer, 0, n);
    }
    return out.toByteArray();
  }

  /**
   * Reads and drops up to {@code max} more bytes of a body that is too large, so that the 413
   * reaches the client: closing a connection with unread request bytes resets it, and the client
   * may lose the response. A body even larger than that is cut off (the client may see a reset).
   */
  private static void discard(InputStream in, long max) throws IOException {
    byte[] buffer = new byte[64 * 1024];
    long left = max;
    int n;
    while (left > 0 && (n = in.read(buffer, 0, (int) Math.min(buffer.length, left))) != -1) {
      left -= n;
    }
  }

  private static RequestRejected tooLarge(String what, int limit) {
    return new RequestRejected(
        413,
        RequestRejected.TOO_LARGE,
        what + "; the limit is " + limit + " bytes (split the export into smaller batches)");
  }
}
