// opensearch-private-encrypted, asked over the analyzer protocol. The domain's subnets are other resources' ids,
// unknown in preview (element by element, or the whole list): the rule reads their presence and decides.
import * as assert from "assert";
import { StateResource } from "../../../offline/state";
import { ELASTICSEARCH_DOMAIN, OPENSEARCH_DOMAIN } from "../../../policies/lib/types";
import { StackBuilder, UNKNOWN, violations } from "../../helpers/packs";

const SEARCH = {
    engineVersion: "OpenSearch_2.19",
    clusterConfig: { instanceType: "r6g.large.search", instanceCount: 3 },
    vpcOptions: { subnetIds: [UNKNOWN, UNKNOWN, UNKNOWN], securityGroupIds: [UNKNOWN] },
    encryptAtRest: { enabled: true, kmsKeyId: UNKNOWN },
    nodeToNodeEncryption: { enabled: true },
    domainEndpointOptions: { enforceHttps: true, tlsSecurityPolicy: "Policy-Min-TLS-1-2-2019-07" },
};

function domain(props: Record<string, unknown>, type = OPENSEARCH_DOMAIN): StateResource[] {
    const b = new StackBuilder("preprod");
    b.add(type, "catalog-search", props);
    return b.resources;
}

describe("aws-baseline / opensearch-private-encrypted", () => {
    it("keeps: a domain in the VPC, encrypted, HTTPS only with TLS 1.2, decided while its subnets are unknown", async () => {
        assert.deepStrictEqual(await violations("opensearch-private-encrypted", domain(SEARCH)), []);
        assert.deepStrictEqual(
            await violations("opensearch-private-encrypted", domain({ ...SEARCH, vpcOptions: { subnetIds: UNKNOWN } })),
            [],
        );
        assert.deepStrictEqual(
            await violations("opensearch-private-encrypted", domain(SEARCH, ELASTICSEARCH_DOMAIN)),
            [],
        );
    });

    it("breaks: a public endpoint (no VPC subnets)", async () => {
        const { vpcOptions: _, ...publicDomain } = SEARCH;
        assert.deepStrictEqual(await violations("opensearch-private-encrypted", domain(publicDomain)), [
            "mandatory: Search domain catalog-search has a public endpoint; put it in the VPC's private subnets (vpcOptions.subnetIds).",
        ]);
    });

    it("breaks: encryption at rest or between nodes turned off, on the legacy Elasticsearch type too", async () => {
        assert.deepStrictEqual(
            await violations(
                "opensearch-private-encrypted",
                domain({ ...SEARCH, encryptAtRest: { enabled: false } }, ELASTICSEARCH_DOMAIN),
            ),
            ["mandatory: Search domain catalog-search is not encrypted at rest; set encryptAtRest.enabled: true."],
        );
        assert.deepStrictEqual(
            await violations(
                "opensearch-private-encrypted",
                domain({ ...SEARCH, nodeToNodeEncryption: { enabled: false } }),
            ),
            [
                "mandatory: Search domain catalog-search does not encrypt traffic between its nodes; set nodeToNodeEncryption.enabled: true.",
            ],
        );
    });

    it("breaks: plain HTTP accepted", async () => {
        const found = await violations(
            "opensearch-private-encrypted",
            domain({ ...SEARCH, domainEndpointOptions: { ...SEARCH.domainEndpointOptions, enforceHttps: false } }),
        );
        assert.deepStrictEqual(found, [
            "mandatory: Search domain catalog-search accepts plain HTTP; set domainEndpointOptions.enforceHttps: true.",
        ]);
    });

    it("breaks: TLS 1.0 allowed, or the TLS policy left to AWS", async () => {
        const tls10 = await violations(
            "opensearch-private-encrypted",
            domain({
                ...SEARCH,
                domainEndpointOptions: { enforceHttps: true, tlsSecurityPolicy: "Policy-Min-TLS-1-0-2019-07" },
            }),
        );
        assert.deepStrictEqual(tls10, [
            "mandatory: Search domain catalog-search uses TLS policy Policy-Min-TLS-1-0-2019-07; " +
                "set domainEndpointOptions.tlsSecurityPolicy to one of Policy-Min-TLS-1-2-2019-07, Policy-Min-TLS-1-2-PFS-2023-10.",
        ]);
        const unset = await violations(
            "opensearch-private-encrypted",
            domain({ ...SEARCH, domainEndpointOptions: { enforceHttps: true } }),
        );
        assert.match(unset[0], /uses TLS policy \(not set: the AWS default\)/);
    });

    it("follows allowedTlsPolicies from the pack config", async () => {
        const found = await violations("opensearch-private-encrypted", domain(SEARCH), {
            config: { allowedTlsPolicies: ["Policy-Min-TLS-1-2-PFS-2023-10"] },
        });
        assert.match(
            found[0],
            /uses TLS policy Policy-Min-TLS-1-2-2019-07; set .* to one of Policy-Min-TLS-1-2-PFS-2023-10\.$/,
        );
    });
});
