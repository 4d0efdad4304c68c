package dev.vigil.nlq;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Matches a phrase to a name by meaning with the all-MiniLM-L6-v2 sentence encoder (Reimers and
 * Gurevych, "Sentence-BERT", EMNLP 2019; Wang et al., "MiniLM", NeurIPS 2020), shipped in the jar
 * and run in process by ONNX Runtime: no network, 5 to 20 ms a phrase on one core once loaded
 * (loading takes seconds: warm it up at start-up, {@link #warmUp}). Names are embedded once, as
 * words ("catalog-db" as "catalog db"), and cached.
 *
 * <p>The model is loaded on first use; if it cannot be (no native runtime for the platform), the
 * failure is logged once and matching by meaning is off: lexical matching still works.
 */
final class SemanticNames {
  private static final Logger log = LoggerFactory.getLogger(SemanticNames.class);

  /** Cosine similarity a phrase must reach to be read as a name. */
  static final double DEFAULT_MIN_SIMILARITY = 0.65;

  /** How far the best name must be ahead of the second best. */
  static final double DEFAULT_MIN_MARGIN = 0.1;

  private static volatile EmbeddingModel model;
  private static volatile boolean unavailable;
  private static final Map<String, float[]> CACHE = new ConcurrentHashMap<>();
  private static final int MAX_CACHE = 10_000;

  private SemanticNames() {}

  /** The best name for the phrase, or null when none is close enough or the model is off. */
  static String best(String phrase, Iterable<String> names) {
    float[] q = embed(phrase);
    if (q == null) {
      return null;
    }
    String best = null;
    double bestSim = -1;
    double second = -1;
    for (String name : names) {
      float[] v = embed(NameMatcher.words(name));
      if (v == null) {
        return null;
      }
      double sim = cosine(q, v);
      if (sim > bestSim) {
        second = bestSim;
        bestSim = sim;
        best = name;
      } else if (sim > second) {
        second = sim;
      }
    }
    return bestSim >= DEFAULT_MIN_SIMILARITY && bestSim - second >= DEFAULT_MIN_MARGIN
        ? best
        : null;
  }

  /** Loads the model now (e.g. at start-up, so that the first question is not slowed). */
  static boolean warmUp() {
    return embed("service") != null;
  }

  static float[] embed(String text) {
    EmbeddingModel m = model();
    if (m == null) {
      return null;
    }
    float[] cached = CACHE.get(text);
    if (cached != null) {
      return cached;
    }
    Embedding e = m.embed(text).content();
    if (CACHE.size() < MAX_CACHE) {
      CACHE.put(text, e.vector());
    }
    return e.vector();
  }

  private static EmbeddingModel model() {
    if (unavailable) {
      return null;
    }
    EmbeddingModel m = model;
    if (m == null) {
      synchronized (SemanticNames.class) {
        if (model == null && !unavailable) {
          try {
            model = new AllMiniLmL6V2EmbeddingModel();
          } catch (RuntimeException | LinkageError e) {
            unavailable = true;
            log.warn(
                "the MiniLM embedding model cannot run here; names are matched by spelling only: {}",
                e.toString());
          }
        }
        m = model;
      }
    }
    return m;
  }

  static double cosine(float[] a, float[] b) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += a[i] * b[i];
      na += a[i] * a[i];
      nb += b[i] * b[i];
    }
    return dot / Math.sqrt(na * nb);
  }
}
