package dev.vigil.service.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.vigil.models.registry.ForecasterSlot;
import dev.vigil.models.registry.ModelStatus;
import dev.vigil.models.registry.RegisteredModel;
import dev.vigil.models.registry.TrainedModelScorer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/models}: which batch-trained model scores which service (and, under the service
 * {@code *}, the forecaster of the predictive alerts), since when, how it did in evaluation, where
 * it came from, and any newer version that was refused and why: {@code {"models": [{"service",
 * "model", "kind", "version", "since", "promotedAt", "evaluation", "provenance", "reason",
 * "scoredWindows", "lastScore", "refused"}]}}.
 */
public final class ModelsHandler implements HttpHandler {
  private final TrainedModelScorer scorer;
  private final ForecasterSlot forecaster;

  public ModelsHandler(TrainedModelScorer scorer) {
    this(scorer, null);
  }

  /**
   * @param forecaster the predictive alerts' forecaster, listed under the service {@code *}, or
   *     null
   */
  public ModelsHandler(TrainedModelScorer scorer, ForecasterSlot forecaster) {
    this.scorer = scorer;
    this.forecaster = forecaster;
  }

  @Override
  public void handle(HttpExchange ex) throws IOException {
    List<ModelStatus> status = new ArrayList<>(scorer.status());
    if (forecaster != null) {
      forecaster.status().ifPresent(status::add);
    }
    Responses.json(ex, 200, Map.of("models", body(status)));
  }

  static List<Map<String, Object>> body(List<ModelStatus> status) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (ModelStatus s : status) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("service", s.service());
      s.model()
          .ifPresent(
              r -> {
                m.put("model", r.describe());
                m.put("kind", r.kind());
                m.put("version", r.version());
                m.put("promotedAt", r.promotedAt().toString());
                m.put("evaluation", r.evaluation());
                m.put("provenance", provenance(r));
                m.put("reason", r.reason());
              });
      s.since().ifPresent(t -> m.put("since", t.toString()));
      m.put("scoredWindows", s.scoredWindows());
      s.lastScore()
          .ifPresent(
              l -> {
                Map<String, Object> last = new LinkedHashMap<>();
                last.put("rawScore", l.rawScore());
                last.put("calibratedScore", l.calibratedScore());
                last.put("alarm", l.alarm());
                m.put("lastScore", last);
              });
      s.refused().ifPresent(r -> m.put("refused", r));
      out.add(m);
    }
    return out;
  }

  private static Map<String, Object> provenance(RegisteredModel r) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("trainer", r.provenance().trainer());
    p.put("trainerConfig", r.provenance().trainerConfig());
    p.put("dataStart", r.provenance().dataStart().toString());
    p.put("dataEnd", r.provenance().dataEnd().toString());
    p.put("rows", r.provenance().rows());
    p.put("featureSchemaHash", r.provenance().featureSchemaHash());
    p.put("seed", r.provenance().seed());
    p.put("codeVersion", r.provenance().codeVersion());
    p.put("trainedAt", r.provenance().trainedAt().toString());
    return p;
  }
}
