package dev.vigil.nlq;

/** Answers a diagnostic question from Vigil's evidence only. */
public interface DiagnosticAnswerer {

  Answer answer(String question, DiagnosticContext context);

  /** The offline answerer: rule-based parsing and templated, cited answers. */
  static DiagnosticAnswerer offline() {
    return new TemplateAnswerer();
  }
}
