package dev.vigil.rca.offline;

/** Calls from one operation to an operation of another service, over the whole recording. */
public record OperationEdge(
    String callerService,
    String callerOperation,
    String calleeService,
    String calleeOperation,
    long calls) {}
