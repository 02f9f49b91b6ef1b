package dev.servicehealth.model.reference;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Real-shaped gateway paths and the endpoint each is counted under: the bundled catalog's template
 * with the API version in one spelling, or for a path outside the catalog its own endpoint with ids
 * collapsed, product and service unmapped.
 */
class EndpointResolutionTest {
    private static final ServiceCatalog CATALOG = ReferenceData.bundled().serviceCatalog();

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(
            delimiter = '|',
            textBlock =
                    """
                    /services/data/v59.0/query                                  | /services/data/v59/query                         | core-api
                    /services/data/v60.0/query?q=SELECT+Id+FROM+Case+LIMIT+10   | /services/data/v60/query                         | core-api
                    /services/data/v60/query                                    | /services/data/v60/query                         | core-api
                    /services/data/V61.0/query/                                 | /services/data/v61/query                         | core-api
                    /services/data/v61.0/sobjects/Case/500Hs00001XyZabIAH       | /services/data/v61/sobjects/{object}/{id}        | core-api
                    /services/data/v58.0/sobjects/Account/001Hs000010ZcGx       | /services/data/v58/sobjects/{object}/{id}        | core-api
                    /services/data/v60.0/sobjects/Contact                       | /services/data/v60/sobjects/{object}             | core-api
                    /services/data/v62.0/composite                              | /services/data/v62/composite                     | core-api
                    /services/apexrest/cases/5003000000D8cuI                    | /services/apexrest/cases/{id}                    | case-management
                    /services/apexrest/cases/                                   | /services/apexrest/cases                         | case-management
                    /services/chat/v1/sessions?_=1                              | /services/chat/v1/sessions                       | omni-channel
                    /services/oauth2/token                                      | /services/oauth2/token                           | identity
                    /Services/Data/V60.0/Query                                  | /services/data/v60/query                         | core-api
                    /services//data/v60.0/query                                 | /services/data/v60/query                         | core-api
                    /services/apexrest/orders/                                  | /services/apexrest/orders                        | unmapped
                    /services/apexrest/orders/a0B3000000XyZ12                   | /services/apexrest/orders/{id}                   | unmapped
                    /services/apexrest/Orders/a0B3000000XyZ12AAA/lines/42       | /services/apexrest/orders/{id}/lines/{id}        | unmapped
                    /services/data/v61.0/limits                                 | /services/data/v61/limits                        | unmapped
                    /services/data/vNext/query                                  | /services/data/vnext/query                       | unmapped
                    /api/users/3f2c1a9e-8b7d-4c6e-9f01-23456789abcd/avatar      | /api/users/{id}/avatar                           | unmapped
                    /api/invoices/9f86d081884c7d659a2feaa0c55ad015/pdf          | /api/invoices/{id}/pdf                           | unmapped
                    /api/people/jane.doe@example.com                            | /api/people/{id}                                 | unmapped
                    //healthz/                                                  | /healthz                                         | unmapped
                    /                                                           | /                                                | unmapped
                    """)
    void countsEachPathUnderItsEndpoint(String path, String endpoint, String service) {
        String resolved =
                CATALOG.resolve(path)
                        .map(EndpointInfo::template)
                        .orElseGet(() -> EndpointPaths.derive(path));
        String owner = CATALOG.resolve(path).map(EndpointInfo::service).orElse("unmapped");

        assertThat(resolved).isEqualTo(endpoint);
        assertThat(owner).isEqualTo(service);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"v1", "v59.0", "V60", "v1.5.2", "v10"})
    void recognisesApiVersions(String segment) {
        assertThat(EndpointPaths.isVersion(segment, 0, segment.length())).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"v", "version", "v1.", "v.1", "vNext", "1.0"})
    void refusesWhatIsNotAVersion(String segment) {
        assertThat(EndpointPaths.isVersion(segment, 0, segment.length())).isFalse();
    }

    @ParameterizedTest(name = "{0} is a kind of resource")
    @CsvSource({"sobjects", "opportunities", "knowledgearticles", "Case", "v2beta", "healthz"})
    void keepsWordsAsTheyAre(String segment) {
        assertThat(EndpointPaths.isId(segment)).isFalse();
    }

    @org.junit.jupiter.api.Test
    void foldsEveryVersionOfAFoldedTemplateIntoOneEndpoint() {
        ServiceCatalog catalog =
                new ServiceCatalog(
                        List.of(
                                new EndpointInfo(
                                        "/services/async/{version:folded}/job/{id}",
                                        "Platform",
                                        "bulk-api")));

        for (String path :
                List.of(
                        "/services/async/v58.0/job/750Hs000001abcD",
                        "/services/async/v61.0/job/750Hs000001abcE")) {
            assertThat(catalog.resolve(path))
                    .get()
                    .extracting(EndpointInfo::template)
                    .isEqualTo("/services/async/{version}/job/{id}");
        }
        assertThat(catalog.resolve("/services/async/latest/job/750Hs000001abcD")).isEmpty();
    }
}
