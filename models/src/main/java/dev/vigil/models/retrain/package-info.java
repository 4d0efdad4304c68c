/**
 * Batch retraining on Tribuo's anomaly task: {@link dev.vigil.models.retrain.ServiceRetrainer}
 * trains an isolation forest (as a Tribuo trainer) and Tribuo's one-class SVM on a service's
 * history of window vectors, evaluates them and the model in use with Tribuo's {@code
 * AnomalyEvaluator} on held-out windows and fault-injected copies of them, and says which to
 * promote and why.
 */
package dev.vigil.models.retrain;
