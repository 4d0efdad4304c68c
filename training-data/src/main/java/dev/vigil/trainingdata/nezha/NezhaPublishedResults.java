package dev.vigil.trainingdata.nezha;

import java.util.List;

/**
 * Published service-level top-k hit rates (AS@1, AS@3, AS@5, in percent) on this data (Yu et al.,
 * ESEC/FSE 2023, Table 3), for comparison.
 */
public final class NezhaPublishedResults {
  /** One published method. */
  public record Published(String method, double at1, double at3, double at5) {}

  public static final List<Published> TRAIN_TICKET =
      List.of(
          new Published("Nezha", 86.67, 97.78, 97.78),
          new Published("MicroRCA", 20.00, 31.11, 44.44),
          new Published("MicroRank", 15.56, 24.44, 35.56),
          new Published("TraceAnomaly", 13.33, 28.89, 33.33),
          new Published("PDiagnose", 8.89, 13.33, 22.22));

  private NezhaPublishedResults() {}
}
