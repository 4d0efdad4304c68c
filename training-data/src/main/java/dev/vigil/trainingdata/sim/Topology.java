package dev.vigil.trainingdata.sim;

import static dev.vigil.trainingdata.sim.Call.always;
import static dev.vigil.trainingdata.sim.ServiceProfile.database;
import static dev.vigil.trainingdata.sim.ServiceProfile.service;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A simulated system: its services, their operations and calls, and the mix of requests that arrive
 * at the entry service. Checked on construction: every call names an existing operation, the call
 * graph is acyclic and every service is reachable from the entry.
 */
public final class Topology {
  private final String entry;
  private final Map<String, Double> entryMix;
  private final Map<String, ServiceProfile> services;

  /**
   * @param entry the service that receives external requests
   * @param entryMix the entry's operations and their relative weights
   * @param services all services, entry first
   */
  public Topology(String entry, Map<String, Double> entryMix, List<ServiceProfile> services) {
    this.entry = entry;
    this.entryMix = Map.copyOf(entryMix);
    Map<String, ServiceProfile> byName = new LinkedHashMap<>();
    for (ServiceProfile s : services) {
      if (byName.put(s.name(), s) != null) {
        throw new IllegalArgumentException("duplicate service " + s.name());
      }
    }
    this.services = byName;
    validate();
  }

  /**
   * A web shop in the style of the OpenTelemetry demo: 12 services, two of them databases seen only
   * through their clients' spans, fan-out from the frontend and from checkout, and a chain
   * (frontend -> recommendation -> catalog -> catalog-db).
   */
  public static Topology shop() {
    Map<String, Double> mix = new LinkedHashMap<>();
    mix.put("GET /", 0.30);
    mix.put("GET /product/{id}", 0.35);
    mix.put("POST /cart", 0.20);
    mix.put("POST /checkout", 0.15);
    return new Topology(
        "frontend",
        mix,
        List.of(
            service(
                "frontend",
                new Operation(
                    "GET /",
                    4,
                    List.of(
                        always("catalog", "CatalogService/ListProducts"),
                        always("recommendation", "RecommendationService/ListRecommendations"),
                        always("ad", "AdService/GetAds"),
                        new Call("cart", "CartService/GetCart", 0.5))),
                new Operation(
                    "GET /product/{id}",
                    3,
                    List.of(
                        always("catalog", "CatalogService/GetProduct"),
                        always("recommendation", "RecommendationService/ListRecommendations"),
                        new Call("ad", "AdService/GetAds", 0.7))),
                new Operation(
                    "POST /cart",
                    3,
                    List.of(
                        always("catalog", "CatalogService/GetProduct"),
                        always("cart", "CartService/AddItem"))),
                new Operation(
                    "POST /checkout",
                    5,
                    List.of(always("checkout", "CheckoutService/PlaceOrder")))),
            service(
                "catalog",
                new Operation(
                    "CatalogService/ListProducts",
                    6,
                    List.of(always("catalog-db", "SELECT products"))),
                new Operation(
                    "CatalogService/GetProduct",
                    3,
                    List.of(always("catalog-db", "SELECT products")))),
            service(
                "recommendation",
                new Operation(
                    "RecommendationService/ListRecommendations",
                    8,
                    List.of(always("catalog", "CatalogService/ListProducts")))),
            service("ad", new Operation("AdService/GetAds", 5, List.of())),
            service(
                "cart",
                new Operation("CartService/GetCart", 2, List.of(always("cart-db", "HGET"))),
                new Operation("CartService/AddItem", 2, List.of(always("cart-db", "HSET"))),
                new Operation("CartService/EmptyCart", 2, List.of(always("cart-db", "DEL")))),
            service(
                "checkout",
                new Operation(
                    "CheckoutService/PlaceOrder",
                    6,
                    List.of(
                        always("cart", "CartService/GetCart"),
                        always("currency", "CurrencyService/Convert"),
                        always("shipping", "ShippingService/GetQuote"),
                        always("payment", "PaymentService/Charge"),
                        always("shipping", "ShippingService/ShipOrder"),
                        always("email", "EmailService/SendOrderConfirmation"),
                        always("cart", "CartService/EmptyCart")))),
            service("payment", new Operation("PaymentService/Charge", 25, List.of())),
            service(
                "shipping",
                new Operation(
                    "ShippingService/GetQuote",
                    4,
                    List.of(always("currency", "CurrencyService/Convert"))),
                new Operation("ShippingService/ShipOrder", 8, List.of())),
            service("currency", new Operation("CurrencyService/Convert", 1.5, List.of())),
            service("email", new Operation("EmailService/SendOrderConfirmation", 12, List.of())),
            database(
                "cart-db",
                "redis",
                new Operation("HGET", 0.8, List.of()),
                new Operation("HSET", 1.0, List.of()),
                new Operation("DEL", 0.8, List.of())),
            database("catalog-db", "postgresql", new Operation("SELECT products", 4, List.of()))));
  }

  public String entry() {
    return entry;
  }

  /** Service names, entry first. */
  public List<String> services() {
    return List.copyOf(services.keySet());
  }

  /** Services that a fault may be injected into: all but the entry. */
  public List<String> faultableServices() {
    return services().stream().filter(s -> !s.equals(entry)).toList();
  }

  public ServiceProfile profile(String service) {
    ServiceProfile p = services.get(service);
    if (p == null) {
      throw new IllegalArgumentException(
          "unknown service '" + service + "'; services: " + services.keySet());
    }
    return p;
  }

  public Map<String, Double> entryMix() {
    return entryMix;
  }

  /** Distinct call edges {@code [caller, callee]}, in a stable order. */
  public List<List<String>> edges() {
    Set<List<String>> edges = new LinkedHashSet<>();
    for (ServiceProfile s : services.values()) {
      for (Operation op : s.operations().values()) {
        for (Call c : op.calls()) {
          edges.add(List.of(s.name(), c.callee()));
        }
      }
    }
    return new ArrayList<>(edges);
  }

  private void validate() {
    if (!services.containsKey(entry)) {
      throw new IllegalArgumentException("entry service " + entry + " is not defined");
    }
    ServiceProfile entryProfile = services.get(entry);
    for (String op : entryMix.keySet()) {
      entryProfile.operation(op);
    }
    for (ServiceProfile s : services.values()) {
      for (Operation op : s.operations().values()) {
        for (Call c : op.calls()) {
          profile(c.callee()).operation(c.operation());
          if (s.isDatabase()) {
            throw new IllegalArgumentException("database " + s.name() + " cannot make calls");
          }
        }
      }
    }
    Map<String, Set<String>> out = new LinkedHashMap<>();
    for (List<String> e : edges()) {
      out.computeIfAbsent(e.get(0), k -> new LinkedHashSet<>()).add(e.get(1));
    }
    // Acyclic (depth-first with colours) and every service reachable from the entry.
    Set<String> done = new HashSet<>();
    Set<String> onPath = new HashSet<>();
    Deque<String> path = new ArrayDeque<>();
    visit(entry, out, done, onPath, path);
    for (String s : services.keySet()) {
      if (!done.contains(s)) {
        throw new IllegalArgumentException("service " + s + " is not reachable from " + entry);
      }
    }
  }

  private static void visit(
      String s,
      Map<String, Set<String>> out,
      Set<String> done,
      Set<String> onPath,
      Deque<String> path) {
    if (done.contains(s)) {
      return;
    }
    path.push(s);
    if (!onPath.add(s)) {
      throw new IllegalArgumentException("call cycle through " + path);
    }
    for (String callee : out.getOrDefault(s, Set.of())) {
      visit(callee, out, done, onPath, path);
    }
    onPath.remove(s);
    path.pop();
    done.add(s);
  }
}
