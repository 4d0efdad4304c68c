package dev.vigil.service;

import dev.vigil.service.cli.AnalyzeCommand;
import dev.vigil.service.cli.AskCommand;
import dev.vigil.service.cli.BrokerCommand;
import dev.vigil.service.cli.ChatCommand;
import dev.vigil.service.cli.DemoCommand;
import dev.vigil.service.cli.EvaluateCommand;
import dev.vigil.service.cli.RecordCommand;
import dev.vigil.service.cli.RetrainCommand;
import dev.vigil.service.cli.RunCommand;
import dev.vigil.service.cli.SimulateCommand;
import dev.vigil.service.cli.UsageException;
import java.util.List;

/** The {@code vigil} command line. */
public final class Main {
  static final String USAGE =
      """
      usage: vigil <command> [options]

      commands:
        demo      run the whole pipeline on an embedded Kafka broker fed by a simulated shop
                  [--seconds N] [--fault latency|errors|ramp:<service>] [--json]
                                   (--fault again for simultaneous faults, e.g.
                                    --fault latency:catalog --fault errors:payment;
                                    ramp:<service>[:<ms>] is a slow burn: the service's
                                    own work grows to 6x its median over 30 simulated
                                    minutes, or by <ms>; it turns the predictive alerts
                                    on, e.g. --fault ramp:catalog --seconds 360)
                  [--fault-minutes M]  (the faults end after M simulated minutes; default: never)
                  [--speed X] [--rate R] [--seed S] [--port P] [--no-fault]
                  [--otlp-port P]  (OTLP/HTTP receiver, default 4318 when the run is unbounded
                                    or the option is given; 0 turns it off)
                  [--list-services]  (print the services a fault can go into, and exit)
                  [--alertmanager-url URL] [--webhook-url URL] [--slack-url URL]
                                   (send alerts to Alertmanager's API v2, a webhook taking
                                    Alertmanager's webhook payload, a Slack incoming webhook)
                  [--models DIR]  (model registry that vigil retrain promotes to, default
                                    vigil-models; new versions are swapped in while running;
                                    GET /api/models shows them)
                  [--llm openai|anthropic|ollama]  (let an LLM word the answers of /api/ask;
                                    each reply is checked against the evidence, the template
                                    answer is given when it is not grounded; default: no LLM, no
                                    network; the API key is read from VIGIL_LLM_API_KEY only;
                                    ollama is a local Ollama's OpenAI-compatible API, no key)
                  [--llm-url URL]  (API base URL; default https://api.openai.com/v1,
                                    https://api.anthropic.com/v1 or http://127.0.0.1:11434/v1;
                                    any OpenAI-compatible server such as vLLM with --llm openai)
                  [--llm-model NAME]  (default gpt-4.1-mini for openai,
                                    claude-haiku-4-5-20251001 for anthropic, llama3.1 for ollama)
                  [--llm-redact REGEX ...]  (also blank out what matches, besides e-mail and IP
                                    addresses, tokens, secrets and card numbers, in everything
                                    sent to the LLM; repeatable; config key llm.redact)
        run       the service against your Kafka: --bootstrap-servers host:port [--config vigil.yaml]
                  [--set key=value ...] [--json] [--application-id ID] [--http-port P]
                  [--otlp-port P] [--print-config]  (keys: docs/configuration.md; environment
                  VIGIL_<KEY>; precedence: file < environment < flags)
        simulate  the simulated shop alone, writing OTLP to any Kafka: --bootstrap-servers host:port
                  [--fault latency:<service>|errors:<service>] [--fault-after SECONDS] [--seconds N]
                  [--speed X] [--rate R] [--seed S] [--partitions N] [--no-fault]
        broker    a single-node Kafka on 127.0.0.1 to try simulate and run with, until Ctrl-C
                  [--port P]  (default 9092; its data is temporary)
        ask       ask a running Vigil a question: vigil ask "why is checkout slow?" [--url U] [--json]
        chat      talk to a running Vigil in the terminal, with follow-ups [--url U]
        analyze   rank the root causes of an incident recorded in OTLP files (JSON lines or .binpb)
                  --input <files or dirs> [--incident-time <ISO-8601>] [--json]
                  [--html report.html]  (also write the incident page, self-contained)
        evaluate  nab --data <NAB root> [--detector NAME] [--out DIR] [--parallelism N]: score a
                  detector on the Numenta Anomaly Benchmark; nezha ...: RCA on Train Ticket faults;
                  nlq [--seed S] [--repeat N] [--verbose]: questions (EN/ZH) over simulated faults
        record    write a simulated history of the demo's shop to OTLP files, as fast as it runs
                  --out DIR [--duration 6h] [--fault ramp:<service> --fault-at 4h] [--start T]
                  [--rate R] [--seed S]
        retrain   retrain each service's batch detector (isolation forest, one-class SVM) on a
                  history, evaluate it against the model in use and promote the better
                  --input <files or dirs>, or --bootstrap-servers host:port --from <time>
                  [--to <time, default now>] [--config FILE] [--set k=v] (a time range of the
                  spans topic; times: 2026-03-02T09:00:00Z, 2026-03-02, now, -2h)
                  [--registry DIR (default: models.registry, vigil.models with Kafka, else
                  vigil-models)] [--dry-run] [--hold-out 0.25] [--min-windows 120] [--json]
        help      show this message
      """;

  /** The commands, in the order of {@link #USAGE}. */
  static final List<String> COMMANDS =
      List.of(
          "demo",
          "run",
          "simulate",
          "broker",
          "ask",
          "chat",
          "analyze",
          "evaluate",
          "record",
          "retrain");

  private Main() {}

  private static boolean isHelp(String arg) {
    return arg.equals("--help") || arg.equals("-h");
  }

  /**
   * Prints one command's part of the usage ({@code vigil demo --help}, {@code vigil help demo}).
   */
  private static int help(String command) {
    String section = usageOf(command);
    if (section == null) {
      System.err.println("vigil: no command '" + command + "'; run 'vigil help' for the list");
      return 2;
    }
    System.out.print("usage: vigil " + command + " [options]\n\n" + section);
    return 0;
  }

  /** The lines of {@link #USAGE} that describe {@code command}, or null when there is none. */
  static String usageOf(String command) {
    StringBuilder out = new StringBuilder();
    boolean in = false;
    for (String line : USAGE.split("\n")) {
      boolean starts = line.startsWith("  ") && !line.startsWith("   ");
      if (starts) {
        in = line.trim().equals(command) || line.trim().startsWith(command + " ");
      }
      if (in) {
        out.append(line).append('\n');
      }
    }
    return out.isEmpty() ? null : out.toString();
  }

  public static void main(String[] argv) {
    System.exit(run(List.of(argv)));
  }

  static int run(List<String> argv) {
    if (argv.isEmpty() || argv.get(0).equals("help") || isHelp(argv.get(0))) {
      if (argv.size() > 1) {
        return help(argv.get(1));
      }
      System.out.print(USAGE);
      return argv.isEmpty() ? 2 : 0;
    }
    String command = argv.get(0);
    List<String> rest = argv.subList(1, argv.size());
    if (rest.stream().anyMatch(Main::isHelp)) {
      return help(command);
    }
    try {
      return switch (command) {
        case "demo" -> DemoCommand.run(rest);
        case "run" -> RunCommand.run(rest);
        case "simulate" -> SimulateCommand.run(rest);
        case "broker" -> BrokerCommand.run(rest);
        case "ask" -> AskCommand.run(rest);
        case "chat" -> ChatCommand.run(rest);
        case "analyze" -> AnalyzeCommand.run(rest);
        case "evaluate" -> EvaluateCommand.run(rest);
        case "record" -> RecordCommand.run(rest);
        case "retrain" -> RetrainCommand.run(rest);
        default ->
            throw new UsageException(
                "unknown command '" + command + "'; commands: " + COMMANDS + " and help");
      };
    } catch (UsageException e) {
      System.err.println("vigil: " + e.getMessage());
      System.err.println("run 'vigil help' for usage");
      return 2;
    } catch (dev.vigil.service.config.ConfigException e) {
      System.err.println("vigil: " + e.getMessage());
      return 2;
    } catch (Exception e) {
      System.err.println("vigil " + command + " failed: " + e);
      e.printStackTrace(System.err);
      return 1;
    }
  }
}
