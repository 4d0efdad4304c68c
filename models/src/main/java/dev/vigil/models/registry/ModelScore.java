package dev.vigil.models.registry;

/**
 * A trained model's verdict on one service window.
 *
 * @param service the service
 * @param model the model that scored it, e.g. {@code isolation_forest v3 of checkout}
 * @param rawScore the model's own score (higher is more abnormal)
 * @param calibratedScore the raw score on the z-scale of normal held-out windows; the streaming
 *     ensemble alarms at 3 on the same scale
 * @param alarm whether the model's own threshold was reached
 */
public record ModelScore(
    String service, String model, double rawScore, double calibratedScore, boolean alarm) {}
