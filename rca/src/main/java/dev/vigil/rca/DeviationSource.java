package dev.vigil.rca;

import dev.vigil.features.ServiceFeatures;
import dev.vigil.models.FeatureDeviation;
import dev.vigil.models.ServiceFeatureSchema.Feature;
import java.time.Duration;
import java.util.Optional;

/** Where a ranker gets a feature's change against its baseline (usually the anomaly monitor). */
@FunctionalInterface
public interface DeviationSource {
  Optional<FeatureDeviation> deviation(ServiceFeatures f, Feature feature, Duration window);
}
