package dev.vigil.models.iforest;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.DateTimeProvenance;
import dev.vigil.models.FeatureSchema;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tribuo.Dataset;
import org.tribuo.Example;
import org.tribuo.Feature;
import org.tribuo.Trainer;
import org.tribuo.anomaly.Event;
import org.tribuo.provenance.ModelProvenance;
import org.tribuo.provenance.TrainerProvenance;
import org.tribuo.provenance.impl.TrainerProvenanceImpl;

/**
 * The isolation forest (Liu, Ting and Zhou, ICDM 2008) as a Tribuo {@link Trainer} of the anomaly
 * task, so that the batch retraining job trains, evaluates ({@code AnomalyEvaluator}) and records
 * provenance for it exactly as for Tribuo's own one-class SVM. Tribuo has no isolation forest; the
 * algorithm is {@link IsolationForestTrainer}'s, and this class only adapts Tribuo's dataset (read
 * densely in the order of the configured {@link FeatureSchema}, absent features as 0) and
 * provenance. Training rows must all be {@code EXPECTED} (or {@code UNKNOWN}): it is unsupervised.
 *
 * <p>The event-time range of the data, which Tribuo's datasets do not carry, is taken from the run
 * provenance keys {@link #DATA_START} and {@link #DATA_END} when given. Cost: as {@link
 * IsolationForestTrainer}, plus O(n x d) to read the dataset.
 */
public final class TribuoIsolationForestTrainer implements Trainer<Event> {
  /** Run-provenance key of the first training row's event time ({@link DateTimeProvenance}). */
  public static final String DATA_START = "dataStart";

  /** Run-provenance key of the last training row's event time ({@link DateTimeProvenance}). */
  public static final String DATA_END = "dataEnd";

  @Config(description = "Trees in the forest.")
  private int numberOfTrees = IsolationForestConfig.DEFAULT_NUMBER_OF_TREES;

  @Config(description = "Rows drawn without replacement to grow each tree.")
  private int sampleSize = IsolationForestConfig.DEFAULT_SAMPLE_SIZE;

  @Config(description = "Expected share of anomalies in the training data.")
  private double contamination = IsolationForestConfig.DEFAULT_CONTAMINATION;

  @Config(description = "Random seed.")
  private long seed = Trainer.DEFAULT_SEED;

  @Config(description = "Feature ids in vector order and their transform.")
  private String schemaDescription = "";

  private final FeatureSchema schema;
  private final Clock clock;
  private int invocationCount;

  /**
   * @param config the forest's parameters
   * @param schema the features, in the order the forest scores them
   * @param clock when training finished, for Vigil's provenance
   */
  public TribuoIsolationForestTrainer(
      IsolationForestConfig config, FeatureSchema schema, Clock clock) {
    this.numberOfTrees = config.numberOfTrees();
    this.sampleSize = config.sampleSize();
    this.contamination = config.contamination();
    this.seed = config.seed();
    this.schema = schema;
    this.schemaDescription = String.join(",", schema.features()) + " (" + schema.transform() + ")";
    this.clock = clock;
  }

  @Override
  public synchronized IsolationForestModel train(
      Dataset<Event> examples, Map<String, Provenance> runProvenance) {
    if (examples.size() == 0) {
      throw new IllegalArgumentException("the dataset has no examples");
    }
    Map<String, Integer> index = new HashMap<>();
    List<String> names = schema.features();
    for (int i = 0; i < names.size(); i++) {
      index.put(names.get(i), i);
    }
    double[][] rows = new double[examples.size()][];
    int r = 0;
    for (Example<Event> e : examples) {
      if (e.getOutput().getType() == Event.EventType.ANOMALOUS) {
        throw new IllegalArgumentException(
            "the isolation forest trains on EXPECTED events only; the dataset has an ANOMALOUS"
                + " one");
      }
      double[] x = new double[names.size()];
      for (Feature f : e) {
        Integer i = index.get(f.getName());
        if (i != null) {
          x[i] = f.getValue();
        }
      }
      rows[r++] = x;
    }
    TrainerProvenance trainerProvenance = getProvenance();
    invocationCount++;
    IsolationForestConfig config =
        IsolationForestConfig.builder()
            .numberOfTrees(numberOfTrees)
            .sampleSize(sampleSize)
            .contamination(contamination)
            .seed(seed)
            .build();
    IsolationForest forest =
        new IsolationForestTrainer(config, clock)
            .train(
                rows,
                schema,
                instant(runProvenance.get(DATA_START)),
                instant(runProvenance.get(DATA_END)));
    ModelProvenance provenance =
        new ModelProvenance(
            IsolationForestModel.class.getName(),
            OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC),
            examples.getProvenance(),
            trainerProvenance,
            runProvenance);
    return new IsolationForestModel(
        forest, provenance, examples.getFeatureIDMap(), examples.getOutputIDInfo());
  }

  private static Instant instant(Provenance p) {
    return p instanceof DateTimeProvenance d ? d.getValue().toInstant() : Instant.EPOCH;
  }

  @Override
  public int getInvocationCount() {
    return invocationCount;
  }

  @Override
  public synchronized void setInvocationCount(int invocationCount) {
    if (invocationCount < 0) {
      throw new IllegalArgumentException("invocationCount must not be negative");
    }
    this.invocationCount = invocationCount;
  }

  @Override
  public TrainerProvenance getProvenance() {
    return new TrainerProvenanceImpl(this);
  }

  @Override
  public String toString() {
    return "TribuoIsolationForestTrainer(numberOfTrees="
        + numberOfTrees
        + ",sampleSize="
        + sampleSize
        + ",contamination="
        + contamination
        + ",seed="
        + seed
        + ")";
  }
}
