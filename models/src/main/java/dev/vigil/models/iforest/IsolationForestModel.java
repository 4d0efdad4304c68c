package dev.vigil.models.iforest;

import com.oracle.labs.mlrg.olcut.util.Pair;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.tribuo.Example;
import org.tribuo.Excuse;
import org.tribuo.Feature;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.Model;
import org.tribuo.Prediction;
import org.tribuo.anomaly.Event;
import org.tribuo.provenance.ModelProvenance;

/**
 * An {@link IsolationForest} as a Tribuo {@link Model} of the anomaly task: a prediction is an
 * {@link Event} of type {@code ANOMALOUS} when the forest's score reaches its contamination
 * threshold, {@code EXPECTED} otherwise, with the score in (0, 1] as the event's score. Features
 * are matched by name to the forest's schema; a feature the example lacks counts as 0 (Tribuo's
 * sparse convention). Scoring is O(trees x log psi).
 *
 * <p>Tribuo's protobuf serialization is not supported: the forest is persisted as {@link
 * IsolationForestState}, which the streaming side reads without Tribuo's types.
 */
public final class IsolationForestModel extends Model<Event> {
  private static final long serialVersionUID = 1L;

  private final transient IsolationForest forest;
  private final Map<String, Integer> index = new HashMap<>();

  IsolationForestModel(
      IsolationForest forest,
      ModelProvenance provenance,
      ImmutableFeatureMap featureIDMap,
      ImmutableOutputInfo<Event> outputIDInfo) {
    super("isolation-forest", provenance, featureIDMap, outputIDInfo, false);
    this.forest = forest;
    List<String> names = forest.schema().features();
    for (int i = 0; i < names.size(); i++) {
      index.put(names.get(i), i);
    }
  }

  /**
   * Wraps a forest loaded from its state for evaluation in Tribuo, with the feature and output maps
   * of the dataset it will score and the provenance Tribuo keeps for it.
   */
  public static IsolationForestModel wrap(
      IsolationForest forest,
      ModelProvenance provenance,
      ImmutableFeatureMap featureIDMap,
      ImmutableOutputInfo<Event> outputIDInfo) {
    return new IsolationForestModel(forest, provenance, featureIDMap, outputIDInfo);
  }

  /** The forest this model scores with. */
  public IsolationForest forest() {
    return forest;
  }

  @Override
  public Prediction<Event> predict(Example<Event> example) {
    double[] x = new double[forest.schema().dimensions()];
    int used = 0;
    for (Feature f : example) {
      Integer i = index.get(f.getName());
      if (i != null) {
        x[i] = f.getValue();
        used++;
      }
    }
    double score = forest.score(x);
    Event.EventType type =
        score >= forest.threshold() ? Event.EventType.ANOMALOUS : Event.EventType.EXPECTED;
    return new Prediction<>(new Event(type, score), used, example);
  }

  @Override
  public Map<String, List<Pair<String, Double>>> getTopFeatures(int n) {
    return Map.of();
  }

  @Override
  public Optional<Excuse<Event>> getExcuse(Example<Event> example) {
    return Optional.empty();
  }

  @Override
  protected IsolationForestModel copy(String newName, ModelProvenance newProvenance) {
    IsolationForestModel copy =
        new IsolationForestModel(forest, newProvenance, featureIDMap, outputIDInfo);
    copy.setName(newName);
    return copy;
  }
}
