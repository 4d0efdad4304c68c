package dev.vigil.trainingdata.sim;

/**
 * One downstream call an operation makes.
 *
 * @param callee the called service
 * @param operation the callee's operation
 * @param probability chance that a request makes this call, in (0, 1]
 */
public record Call(String callee, String operation, double probability) {
  public Call {
    if (!(probability > 0 && probability <= 1)) {
      throw new IllegalArgumentException("call probability must be in (0, 1], got " + probability);
    }
  }

  public static Call always(String callee, String operation) {
    return new Call(callee, operation, 1);
  }
}
