package dev.vigil.telemetry;

import java.util.Map;

/**
 * The entity that produced telemetry (an OpenTelemetry {@code Resource}).
 *
 * @param serviceName the {@code service.name} attribute, or {@link #UNKNOWN_SERVICE} when it is
 *     absent, as the OpenTelemetry resource semantic conventions require
 * @param attributes every resource attribute, values as decoded by {@link AttributeValues}
 */
public record Resource(String serviceName, Map<String, Object> attributes) {

  /** The service name the specification prescribes when {@code service.name} is missing. */
  public static final String UNKNOWN_SERVICE = "unknown_service";

  public static final String SERVICE_NAME = "service.name";

  public Resource {
    attributes = Map.copyOf(attributes);
    if (serviceName == null || serviceName.isBlank()) {
      serviceName = UNKNOWN_SERVICE;
    }
  }

  /** A resource whose service name is taken from its attributes. */
  public static Resource of(Map<String, Object> attributes) {
    Object name = attributes.get(SERVICE_NAME);
    return new Resource(name instanceof String s ? s : null, attributes);
  }

  /** A resource with only a service name. */
  public static Resource ofService(String serviceName) {
    return of(Map.of(SERVICE_NAME, serviceName));
  }
}
