package dev.vigil.ingest.http.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A client that speaks HTTP/1.1 on a plain socket, byte by byte as a test needs it: stop after the
 * headers, stall mid-body, declare more than it sends. Real clients cannot misbehave on demand.
 */
public final class RawHttp implements AutoCloseable {
  private final Socket socket;

  private RawHttp(Socket socket) {
    this.socket = socket;
  }

  /** Connects to 127.0.0.1:port; reads give up after {@code readTimeout}. */
  public static RawHttp connect(int port, Duration readTimeout) throws IOException {
    Socket s = new Socket();
    s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
    s.setSoTimeout((int) readTimeout.toMillis());
    return new RawHttp(s);
  }

  /** Sends bytes; false when the server has closed the connection meanwhile. */
  public boolean send(byte[] bytes) {
    try {
      OutputStream out = socket.getOutputStream();
      out.write(bytes);
      out.flush();
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  public boolean send(String ascii) {
    return send(ascii.getBytes(StandardCharsets.ISO_8859_1));
  }

  /** Request line and headers of a POST, ending with the blank line. */
  public static String postHead(String path, String contentType, String... headers) {
    StringBuilder b =
        new StringBuilder("POST ")
            .append(path)
            .append(" HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: ")
            .append(contentType)
            .append("\r\n");
    for (String h : headers) {
      b.append(h).append("\r\n");
    }
    return b.append("\r\n").toString();
  }

  /** Reads one response (status, headers, a {@code Content-Length} body). */
  public Response read() throws IOException {
    InputStream in = socket.getInputStream();
    String status = line(in);
    if (status == null) {
      throw new IOException("the server closed the connection without a response");
    }
    Map<String, String> headers = new LinkedHashMap<>();
    String line;
    while ((line = line(in)) != null && !line.isEmpty()) {
      int colon = line.indexOf(':');
      headers.put(
          line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
          line.substring(colon + 1).trim());
    }
    int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
    byte[] body = in.readNBytes(length);
    return new Response(Integer.parseInt(status.split(" ")[1]), headers, body);
  }

  /** Whether the server closed the connection: the next read ends the stream (or is reset). */
  public boolean closedByServer() throws IOException {
    try {
      return socket.getInputStream().read() == -1;
    } catch (java.net.SocketException e) {
      return true; // reset
    }
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) != -1) {
      if (c == '\n') {
        String s = b.toString(StandardCharsets.ISO_8859_1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
      }
      b.write(c);
    }
    return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  /** A response as read. */
  public record Response(int status, Map<String, String> headers, byte[] body) {
    public String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }
}
