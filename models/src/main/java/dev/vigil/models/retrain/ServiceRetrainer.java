package dev.vigil.models.retrain;

import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.DateTimeProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.StringProvenance;
import dev.vigil.models.FeatureSchema;
import dev.vigil.models.FeatureVector;
import dev.vigil.models.IncompatibleModelException;
import dev.vigil.models.ModelProvenance;
import dev.vigil.models.ServiceFeatureSchema;
import dev.vigil.models.iforest.IsolationForest;
import dev.vigil.models.iforest.IsolationForestModel;
import dev.vigil.models.iforest.IsolationForestState;
import dev.vigil.models.iforest.TribuoIsolationForestTrainer;
import dev.vigil.models.registry.RegisteredModel;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.Trainer;
import org.tribuo.anomaly.Event;
import org.tribuo.anomaly.evaluation.AnomalyEvaluation;
import org.tribuo.anomaly.evaluation.AnomalyEvaluator;
import org.tribuo.anomaly.libsvm.LibSVMAnomalyTrainer;
import org.tribuo.anomaly.libsvm.SVMAnomalyType;
import org.tribuo.common.libsvm.KernelType;
import org.tribuo.common.libsvm.SVMParameters;
import org.tribuo.provenance.impl.EmptyTrainerProvenance;
import org.tribuo.transform.TransformTrainer;
import org.tribuo.transform.Transformation;
import org.tribuo.transform.TransformationMap;
import org.tribuo.transform.transformations.MeanStdDevTransformation;

/**
 * Retrains one service's batch detector and decides whether to promote it. The service's windows
 * (in event-time order, as {@link ServiceFeatureSchema#vector} made them) are split: the oldest
 * {@code 1 - holdOutShare} train the candidates, an isolation forest (Liu, Ting and Zhou, ICDM
 * 2008; {@link TribuoIsolationForestTrainer}) and Tribuo's one-class SVM (Schoelkopf et al.,
 * "Estimating the support of a high-dimensional distribution", Neural Computation 13(7), 2001;
 * LibSVM, RBF kernel); the newest are the evaluation set, as {@code EXPECTED} events, together with
 * fault-injected copies of them as {@code ANOMALOUS} ones ({@link FaultInjector}). Tribuo's {@link
 * AnomalyEvaluator} scores every candidate and the model in use on that set; the best candidate by
 * F1 replaces the model in use only if it beats it ({@link RetrainConfig#minImprovement()}). Cost:
 * the candidates' training (O(trees x psi log psi) and LibSVM's O(n^2) to O(n^3)) plus O(n)
 * scoring.
 */
public final class ServiceRetrainer {
  private static final FeatureSchema SCHEMA = ServiceFeatureSchema.SCHEMA;

  private final RetrainConfig config;
  private final Clock clock;
  private final AnomalyEvaluator evaluator = new AnomalyEvaluator();

  /**
   * @param clock stamps training and promotion times in provenance
   */
  public ServiceRetrainer(RetrainConfig config, Clock clock) {
    // LibSVM prints its optimiser's progress on stdout; the job reports progress itself.
    libsvm.svm.svm_set_print_string_function(line -> {});
    this.config = config;
    this.clock = clock;
  }

  /** The feature schema of the windows it takes. */
  public static FeatureSchema schema() {
    return SCHEMA;
  }

  /**
   * Trains and evaluates the candidates on the service's windows against the model in use.
   *
   * @param windows the service's window vectors in event-time order
   * @param inUse the model in use, if any
   */
  public RetrainOutcome retrain(
      String service, List<FeatureVector> windows, Optional<RegisteredModel> inUse) {
    if (windows.size() < config.minWindows()) {
      return new RetrainOutcome(
          service,
          windows.size(),
          List.of(),
          Optional.empty(),
          Optional.empty(),
          String.format(
              Locale.ROOT,
              "%d windows, fewer than the %d needed; the streaming detectors keep scoring it",
              windows.size(),
              config.minWindows()));
    }
    int split = (int) Math.round(windows.size() * (1 - config.holdOutShare()));
    List<FeatureVector> train = windows.subList(0, split);
    List<FeatureVector> held = windows.subList(split, windows.size());
    List<FeatureVector> faults =
        new FaultInjector(config.latencyFactor(), config.errorRateIncrease()).inject(held);
    MutableDataset<Event> trainSet =
        AnomalyData.dataset(SCHEMA, train, List.of(), service + " windows for training");
    MutableDataset<Event> evalSet =
        AnomalyData.dataset(SCHEMA, held, faults, service + " held-out and fault-injected windows");
    Map<String, Provenance> run = new HashMap<>();
    run.put("service", new StringProvenance("service", service));
    run.put(
        TribuoIsolationForestTrainer.DATA_START,
        new DateTimeProvenance(
            TribuoIsolationForestTrainer.DATA_START,
            OffsetDateTime.ofInstant(train.get(0).time(), ZoneOffset.UTC)));
    run.put(
        TribuoIsolationForestTrainer.DATA_END,
        new DateTimeProvenance(
            TribuoIsolationForestTrainer.DATA_END,
            OffsetDateTime.ofInstant(train.get(train.size() - 1).time(), ZoneOffset.UTC)));

    List<Scored> candidates = new ArrayList<>();
    IsolationForestModel forest =
        new TribuoIsolationForestTrainer(config.forest(), SCHEMA, clock).train(trainSet, run);
    candidates.add(
        score(
            RegisteredModel.ISOLATION_FOREST,
            forest,
            evalSet,
            held.size(),
            forest.forest().provenance(),
            IsolationForestState.toBytes(forest.forest())));
    Model<Event> svm = oneClassSvm(train).train(trainSet, run);
    candidates.add(
        score(
            RegisteredModel.ONE_CLASS_SVM,
            svm,
            evalSet,
            held.size(),
            svmProvenance(train),
            svm.serialize().toByteArray()));
    double maxFalse = config.maxFalseAlarmRate();
    candidates.sort(
        Comparator.comparing((Scored s) -> s.evaluation.falseAlarmRate() > maxFalse)
            .thenComparingDouble(s -> -s.evaluation.f1())
            .thenComparingDouble(s -> s.evaluation.falseAlarmRate()));
    List<Evaluation> evaluations = candidates.stream().map(s -> s.evaluation).toList();
    Scored best = candidates.get(0);

    Optional<Evaluation> current = Optional.empty();
    String inUseProblem = null;
    if (inUse.isPresent()) {
      try {
        Model<Event> m = tribuoModel(inUse.get(), evalSet);
        current =
            Optional.of(
                score(inUse.get().describe() + " (in use)", m, evalSet, held.size(), null, null)
                    .evaluation);
      } catch (IncompatibleModelException e) {
        inUseProblem = e.getMessage();
      }
    }
    String reason;
    boolean promote;
    Evaluation b = best.evaluation;
    if (b.falseAlarmRate() > maxFalse) {
      promote = false;
      reason =
          String.format(
              Locale.ROOT,
              "every candidate false-alarms on more than %.1f%% of normal held-out windows: %s",
              100 * maxFalse,
              figures(b));
    } else if (inUse.isEmpty()) {
      promote = true;
      reason = String.format(Locale.ROOT, "first model: %s", figures(b));
    } else if (current.isEmpty()) {
      promote = true;
      reason = "the model in use cannot score this data (" + inUseProblem + "); " + figures(b);
    } else if (b.beats(current.get(), config.minImprovement())) {
      promote = true;
      Evaluation c = current.get();
      reason =
          String.format(
              Locale.ROOT,
              "better than the model in use: %s against %s%s",
              figures(b),
              figures(c),
              c.falseAlarmRate() > 2 * Math.max(b.falseAlarmRate(), 0.01)
                  ? "; the model in use false-alarms on recent windows (traffic moved)"
                  : "");
    } else {
      promote = false;
      reason =
          String.format(
              Locale.ROOT,
              "the model in use is as good: %s against %s",
              figures(current.get()),
              figures(b));
    }
    Optional<RegisteredModel> record = Optional.empty();
    if (promote) {
      record =
          Optional.of(
              new RegisteredModel(
                  service,
                  best.kind,
                  1,
                  clock.instant(),
                  best.provenance,
                  best.tribuoProvenance,
                  b.asMap(),
                  best.calibration,
                  reason,
                  best.payload));
    }
    return new RetrainOutcome(service, windows.size(), evaluations, current, record, reason);
  }

  private static String figures(Evaluation e) {
    return String.format(
        Locale.ROOT,
        "%s F1 %.3f (recall %.3f, false alarms %.2f%%)",
        e.model(),
        e.f1(),
        e.recall(),
        100 * e.falseAlarmRate());
  }

  /**
   * Tribuo's one-class SVM behind Tribuo's per-feature standardisation: the RBF kernel weighs every
   * dimension alike, and an error rate moves in hundredths where a log latency moves in tenths. The
   * standardisation is part of the model (a {@code TransformedModel}) and of its provenance. A
   * feature constant in training (no errors at all, say) is left as it is: standardising it would
   * divide by zero.
   */
  private Trainer<Event> oneClassSvm(List<FeatureVector> train) {
    SVMParameters<Event> p =
        new SVMParameters<>(new SVMAnomalyType(SVMAnomalyType.SVMMode.ONE_CLASS), KernelType.RBF);
    p.setNu(config.svmNu());
    p.setGamma(config.svmGamma());
    return new TransformTrainer<>(
        new LibSVMAnomalyTrainer(p, config.seed()),
        new TransformationMap(standardised(train)),
        true);
  }

  private static Map<String, List<Transformation>> standardised(List<FeatureVector> train) {
    Map<String, List<Transformation>> m = new HashMap<>();
    for (int i = 0; i < SCHEMA.dimensions(); i++) {
      double min = Double.POSITIVE_INFINITY;
      double max = Double.NEGATIVE_INFINITY;
      for (FeatureVector v : train) {
        double x = v.values()[i];
        min = Math.min(min, x);
        max = Math.max(max, x);
      }
      if (max > min) {
        m.put(SCHEMA.features().get(i), List.of(new MeanStdDevTransformation()));
      }
    }
    return m;
  }

  private ModelProvenance svmProvenance(List<FeatureVector> train) {
    Map<String, String> params = new HashMap<>();
    params.put("kernel", "rbf");
    params.put("nu", Double.toString(config.svmNu()));
    params.put("gamma", Double.toString(config.svmGamma()));
    return new ModelProvenance(
        RegisteredModel.ONE_CLASS_SVM,
        params,
        train.get(0).time(),
        train.get(train.size() - 1).time(),
        train.size(),
        SCHEMA.hash(),
        config.seed(),
        ModelProvenance.currentCodeVersion(),
        clock.instant());
  }

  /** The model in use as a Tribuo model that can score the evaluation set. */
  private static Model<Event> tribuoModel(RegisteredModel m, MutableDataset<Event> evalSet) {
    m.requireSchema(SCHEMA);
    if (m.kind().equals(RegisteredModel.ISOLATION_FOREST)) {
      IsolationForest f = IsolationForestState.fromBytes(m.payload(), m.describe(), SCHEMA);
      return IsolationForestModel.wrap(
          f,
          new org.tribuo.provenance.ModelProvenance(
              IsolationForestModel.class.getName(),
              OffsetDateTime.ofInstant(f.provenance().trainedAt(), ZoneOffset.UTC),
              evalSet.getProvenance(),
              new EmptyTrainerProvenance()),
          evalSet.getFeatureIDMap(),
          evalSet.getOutputIDInfo());
    }
    try {
      Model<?> loaded = Model.deserializeFromStream(new ByteArrayInputStream(m.payload()));
      if (!loaded.validate(Event.class)) {
        throw new IncompatibleModelException(m.describe() + " is not an anomaly model");
      }
      @SuppressWarnings("unchecked")
      Model<Event> events = (Model<Event>) loaded;
      return events;
    } catch (IOException | RuntimeException e) {
      if (e instanceof IncompatibleModelException i) {
        throw i;
      }
      throw new IncompatibleModelException(m.describe() + " cannot be read: " + e.getMessage());
    }
  }

  private record Scored(
      String kind,
      Evaluation evaluation,
      ModelProvenance provenance,
      String tribuoProvenance,
      RegisteredModel.Calibration calibration,
      byte[] payload) {}

  private Scored score(
      String kind,
      Model<Event> model,
      MutableDataset<Event> evalSet,
      int normal,
      ModelProvenance provenance,
      byte[] payload) {
    List<Prediction<Event>> predictions = model.predict(evalSet);
    AnomalyEvaluation e = evaluator.evaluate(model, predictions, evalSet.getProvenance());
    boolean svm = !(model instanceof IsolationForestModel);
    double sum = 0;
    double sumSq = 0;
    for (int i = 0; i < normal; i++) {
      double s = predictions.get(i).getOutput().getScore();
      double raw = svm ? -s : s;
      sum += raw;
      sumSq += raw * raw;
    }
    double mean = sum / normal;
    double sd = Math.sqrt(Math.max(0, sumSq / normal - mean * mean));
    long faults = evalSet.size() - normal;
    Evaluation evaluation =
        new Evaluation(
            kind,
            nan0(e.getPrecision()),
            nan0(e.getRecall()),
            nan0(e.getF1()),
            normal == 0 ? 0 : (double) e.getFalsePositives() / normal,
            normal,
            faults);
    return new Scored(
        kind,
        evaluation,
        provenance,
        model.getProvenance().toString(),
        new RegisteredModel.Calibration(mean, Math.max(sd, 1e-9 + 1e-6 * Math.abs(mean))),
        payload);
  }

  private static double nan0(double v) {
    return Double.isNaN(v) ? 0 : v;
  }
}
