package dev.vigil.trainingdata.nezha;

import java.time.Instant;

/**
 * One labelled fault.
 *
 * @param id stable id, {@code <day>T<HHmmss>}
 * @param day the data directory of the day, e.g. {@code 2023-01-29}
 * @param injectTime the injection time ({@code inject_time}, UTC)
 * @param pod the pod the fault was injected into
 * @param service the root-cause service: the pod name without its last two {@code -} parts
 * @param faultType {@code return}, {@code exception}, {@code cpu_contention} or {@code
 *     network_delay}
 */
public record NezhaCase(
    String id, String day, Instant injectTime, String pod, String service, String faultType) {

  /** The service of a Kubernetes deployment pod: its name without the last two parts. */
  public static String serviceOfPod(String pod) {
    String[] parts = pod.split("-");
    if (parts.length <= 2) {
      return pod;
    }
    return String.join("-", java.util.Arrays.copyOf(parts, parts.length - 2));
  }
}
