package dev.vigil.ingest.http;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Unzips a request body with a size limit that holds while unzipping, so a small zip bomb is never
 * held whole. The body as sent was already read within the same limit by the listener (413 from its
 * {@code Content-Length}, or once a chunked body crosses it).
 */
final class RequestBody {
  private RequestBody() {}

  /**
   * @param raw the body as sent
   * @param gzip whether the body is gzip-encoded
   * @param limit the most bytes accepted, compressed or not
   */
  static byte[] decode(byte[] raw, boolean gzip, int limit) throws RequestRejected {
    if (raw.length > limit) {
      throw tooLarge("the body has " + raw.length + " bytes", limit);
    }
    if (!gzip) {
      return raw;
    }
    try (InputStream unzipped = new GZIPInputStream(new ByteArrayInputStream(raw))) {
      return readAtMost(unzipped, limit);
    } catch (ZipException | EOFException e) {
      throw new RequestRejected(
          400, RequestRejected.MALFORMED_GZIP, "the body is not valid gzip: " + e.getMessage());
    } catch (IOException e) {
      throw new RequestRejected(400, RequestRejected.READ_ERROR, "could not read the body: " + e);
    }
  }

  private static byte[] readAtMost(InputStream in, int limit) throws IOException, RequestRejected {
    ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(limit, 64 * 1024));
    byte[] buffer = new byte[16 * 1024];
    long total = 0;
    int n;
    while ((n = in.read(buffer)) != -1) {
      total += n;
      if (total > limit) {
        throw tooLarge("the body after gunzip has more than " + limit + " bytes", limit);
      }
      out.write(buffer, 0, n);
    }
    return out.toByteArray();
  }

  static RequestRejected tooLarge(String what, int limit) {
    return new RequestRejected(
        413, RequestRejected.TOO_LARGE, what + "; the limit is " + limit + " bytes" + HINT);
  }

  /** What a client whose export is too large should do. */
  static final String HINT = " (split the export into smaller batches)";
}
