package dev.vigil.ingest.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The body of an OTLP/HTTP error response: a {@code google.rpc.Status} (code, message, and a {@code
 * google.rpc.BadRequest} detail naming the reason), as protobuf or as JSON.
 *
 * <p>Written by hand with {@link CodedOutputStream}: the three small messages are stable, and the
 * class that defines them ({@code proto-google-common-protos}) would be a dependency for nothing
 * else. The tests decode these bytes with that official class.
 */
final class RpcStatus {
  static final String BAD_REQUEST_TYPE_URL = "type.googleapis.com/google.rpc.BadRequest";

  /** gRPC status codes (google.rpc.Code) for the HTTP statuses the receiver uses. */
  static int grpcCode(int httpStatus) {
    return switch (httpStatus) {
      case 400, 413, 415 -> 3; // INVALID_ARGUMENT
      case 401 -> 16; // UNAUTHENTICATED
      case 404 -> 5; // NOT_FOUND
      case 408 -> 4; // DEADLINE_EXCEEDED
      case 405 -> 12; // UNIMPLEMENTED
      case 429 -> 8; // RESOURCE_EXHAUSTED
      case 503 -> 14; // UNAVAILABLE
      default -> 13; // INTERNAL
    };
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private RpcStatus() {}

  static byte[] protobuf(int code, String message, String field, String reason) {
    ByteString violation =
        message(
            out -> {
              out.writeString(1, field);
              out.writeString(2, message);
              out.writeString(3, reason);
            });
    ByteString badRequest = message(out -> out.writeBytes(1, violation));
    ByteString any =
        message(
            out -> {
              out.writeString(1, BAD_REQUEST_TYPE_URL);
              out.writeBytes(2, badRequest);
            });
    return message(
            out -> {
              out.writeInt32(1, code);
              out.writeString(2, message);
              out.writeBytes(3, any);
            })
        .toByteArray();
  }

  static byte[] json(int code, String message, String field, String reason) {
    ObjectNode status = JSON.createObjectNode();
    status.put("code", code);
    status.put("message", message);
    ObjectNode detail = status.putArray("details").addObject();
    detail.put("@type", BAD_REQUEST_TYPE_URL);
    ObjectNode violation = detail.putArray("fieldViolations").addObject();
    violation.put("field", field);
    violation.put("description", message);
    violation.put("reason", reason);
    try {
      return JSON.writeValueAsString(status).getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render a status", e);
    }
  }

  @FunctionalInterface
  private interface Writer {
    void write(CodedOutputStream out) throws IOException;
  }

  private static ByteString message(Writer writer) {
    ByteString.Output bytes = ByteString.newOutput();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    try {
      writer.write(out);
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteString();
  }
}
