package dev.servicehealth.simulator;

import dev.servicehealth.model.Region;
import dev.servicehealth.model.reference.EndpointInfo;
import dev.servicehealth.model.reference.ReferenceData;
import dev.servicehealth.model.reference.ServiceCatalog;
import dev.servicehealth.model.reference.TenantDirectory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The shape of the simulated estate, derived from the reference data and the seed: regions and
 * their AZs and nodes, Zipf-skewed tenants (the named big customers first) and endpoints (a seeded
 * popularity order), user agents. Every list is sorted or seeded, never hash-ordered, so that the
 * same seed gives the same choices.
 */
final class TrafficModel {
    static final List<Region> REGIONS = List.of(Region.NA, Region.EMEA, Region.APAC);
    private static final double[] REGION_WEIGHTS = {0.45, 0.35, 0.20};
    private static final Map<Region, List<String>> AVAILABILITY_ZONES =
            new EnumMap<>(
                    Map.of(
                            Region.NA, zones("na-east-1"),
                            Region.EMEA, zones("emea-west-1"),
                            Region.APAC, zones("apac-southeast-1")));
    private static final int GATEWAY_NODES_PER_AZ = 4;
    private static final int AUTH_NODES_PER_AZ = 2;

    /** Tenants: ACME alone sends about a fifth of all requests. */
    private static final double TENANT_ZIPF_EXPONENT = 1.1;

    /** Endpoints: the hottest takes about a third of all requests. */
    private static final double ENDPOINT_ZIPF_EXPONENT = 1.0;

    private static final List<String> USER_AGENTS =
            List.of(
                    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like"
                            + " Gecko) Chrome/128.0.0.0 Safari/537.36",
                    "Apache-HttpClient/4.5.14 (Java/17.0.9)",
                    "SalesforceMobileSDK/12.1.0 iOS/18.1 (iPhone)",
                    "python-requests/2.32.3",
                    "sfdx-cli/7.209.6 (linux-x64) node-v20.11.0",
                    "MuleSoft-Salesforce-Connector/10.22.0",
                    "okhttp/4.12.0",
                    "curl/8.5.0");
    private static final double[] USER_AGENT_WEIGHTS = {30, 25, 15, 10, 6, 8, 4, 2};

    /**
     * Paths outside the catalog that clients call; the pipeline counts each under its own endpoint
     * (the path with ids collapsed into {@code {id}}), product and service unmapped.
     */
    private static final List<String> UNMAPPED_PATHS =
            List.of(
                    "/services/data/v61/limits",
                    "/services/apexrest/legacy/export",
                    "/services/apexrest/orders/{id}",
                    "/favicon.ico",
                    "/healthz");

    private final ServiceCatalog catalog;
    private final TenantDirectory directory;
    private final WeightedChoice<Region> regions;
    private final WeightedChoice<String> tenants;
    private final WeightedChoice<EndpointProfile> endpoints;
    private final WeightedChoice<String> userAgents;
    private final List<String> services;
    private final Map<String, Double> serviceShares;
    private final List<EndpointProfile> unmappedPaths;

    TrafficModel(ReferenceData reference, Dice dice) {
        this.catalog = reference.serviceCatalog();
        this.directory = reference.tenants();
        this.regions = new WeightedChoice<>(REGIONS, REGION_WEIGHTS);
        this.tenants = WeightedChoice.zipf(rankTenants(directory), TENANT_ZIPF_EXPONENT);

        List<EndpointInfo> infos = new ArrayList<>(catalog.entries());
        infos.sort(Comparator.comparing(EndpointInfo::template));
        shuffle(infos, dice);
        List<EndpointProfile> profiles = new ArrayList<>();
        for (EndpointInfo info : infos) {
            profiles.add(new EndpointProfile(info, dice));
        }
        this.endpoints = WeightedChoice.zipf(profiles, ENDPOINT_ZIPF_EXPONENT);

        Map<String, Double> shares = new TreeMap<>();
        for (int i = 0; i < profiles.size(); i++) {
            shares.merge(profiles.get(i).info().service(), endpoints.share(i), Double::sum);
        }
        this.serviceShares = Collections.unmodifiableMap(shares);
        this.services = List.copyOf(shares.keySet());
        this.userAgents = new WeightedChoice<>(USER_AGENTS, USER_AGENT_WEIGHTS);
        List<EndpointProfile> unmapped = new ArrayList<>();
        for (String path : UNMAPPED_PATHS) {
            if (catalog.resolve(path).isEmpty()) {
                unmapped.add(
                        new EndpointProfile(
                                new EndpointInfo(
                                        path,
                                        GroundTruth.UNMAPPED_PRODUCT,
                                        GroundTruth.UNMAPPED_SERVICE),
                                dice));
            }
        }
        this.unmappedPaths = List.copyOf(unmapped);
    }

    /** The big named customers first (they carry the Zipf head), then the numbered ones. */
    private static List<String> rankTenants(TenantDirectory directory) {
        List<String> ids = new ArrayList<>(directory.all().keySet());
        ids.sort(
                Comparator.comparing((String id) -> id.chars().anyMatch(Character::isDigit))
                        .thenComparing(Comparator.naturalOrder()));
        if (ids.isEmpty()) {
            throw new IllegalArgumentException("the tenant directory is empty");
        }
        return ids;
    }

    private static <T> void shuffle(List<T> list, Dice dice) {
        for (int i = list.size() - 1; i > 0; i--) {
            Collections.swap(list, i, dice.index(i + 1));
        }
    }

    static List<String> availabilityZones(Region region) {
        return AVAILABILITY_ZONES.get(region);
    }

    private static List<String> zones(String prefix) {
        return List.of(prefix + "a", prefix + "b", prefix + "c");
    }

    static String gatewayNode(String az, int index) {
        return "gw-" + az + "-" + index;
    }

    static String authNode(String az, int index) {
        return "auth-" + az + "-" + index;
    }

    static int gatewayNodesPerAz() {
        return GATEWAY_NODES_PER_AZ;
    }

    static int authNodesPerAz() {
        return AUTH_NODES_PER_AZ;
    }

    ServiceCatalog catalog() {
        return catalog;
    }

    TenantDirectory directory() {
        return directory;
    }

    WeightedChoice<Region> regions() {
        return regions;
    }

    WeightedChoice<String> tenants() {
        return tenants;
    }

    WeightedChoice<EndpointProfile> endpoints() {
        return endpoints;
    }

    WeightedChoice<String> userAgents() {
        return userAgents;
    }

    EndpointProfile hottest() {
        return endpoints.items().get(0);
    }

    /** Every service of the catalog, sorted. */
    List<String> services() {
        return services;
    }

    /** The share of gateway requests each service receives. */
    double serviceShare(String service) {
        return serviceShares.getOrDefault(service, 0.0);
    }

    List<EndpointProfile> unmappedPaths() {
        return unmappedPaths;
    }
}
