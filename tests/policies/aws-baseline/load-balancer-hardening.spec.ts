// load-balancer-hardening, asked over the analyzer protocol: the shop's load balancer and listeners pass; each
// hardening removed fails with its own message (and Security Hub control); preproduction may be deleted.
import * as assert from "assert";
import { StateResource } from "../../../offline/state";
import { LB_LISTENER, LB_LOAD_BALANCER } from "../../../policies/lib/types";
import { StackBuilder, UNKNOWN, violations } from "../../helpers/packs";

const HARDENED = {
    loadBalancerType: "application",
    internal: false,
    subnets: [UNKNOWN, UNKNOWN, UNKNOWN],
    securityGroups: [UNKNOWN],
    dropInvalidHeaderFields: true,
    enableDeletionProtection: true,
    accessLogs: { enabled: true, bucket: UNKNOWN },
};
const HTTPS = {
    loadBalancerArn: UNKNOWN,
    port: 443,
    protocol: "HTTPS",
    sslPolicy: "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
    certificateArn: "arn:aws:acm:eu-west-3:123456789012:certificate/x",
    defaultActions: [{ type: "forward", targetGroupArn: UNKNOWN }],
};
const HTTP = {
    loadBalancerArn: UNKNOWN,
    port: 80,
    protocol: "HTTP",
    defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }],
};

function balancer(type: string, props: Record<string, unknown>, stack = "prod"): StateResource[] {
    const b = new StackBuilder(stack);
    b.add(type, "shop", props);
    return b.resources;
}

describe("aws-baseline / load-balancer-hardening", () => {
    it("keeps: access logs, invalid headers dropped, deletion protection; HTTPS with TLS 1.3/1.2, HTTP redirecting", async () => {
        assert.deepStrictEqual(await violations("load-balancer-hardening", balancer(LB_LOAD_BALANCER, HARDENED)), []);
        assert.deepStrictEqual(await violations("load-balancer-hardening", balancer(LB_LISTENER, HTTPS)), []);
        assert.deepStrictEqual(await violations("load-balancer-hardening", balancer(LB_LISTENER, HTTP)), []);
        assert.deepStrictEqual(
            await violations("load-balancer-hardening", balancer("aws:alb/listener:Listener", HTTP)),
            [],
            "the aws.alb alias is held to the same rule",
        );
    });

    it("breaks: no access logs, invalid headers forwarded", async () => {
        assert.deepStrictEqual(
            await violations(
                "load-balancer-hardening",
                balancer(LB_LOAD_BALANCER, {
                    ...HARDENED,
                    accessLogs: { enabled: false, bucket: "logs" },
                    dropInvalidHeaderFields: false,
                }),
            ),
            [
                "mandatory: Load balancer shop keeps no access logs; set accessLogs: { enabled: true, bucket } (ELB.5).",
                "mandatory: Load balancer shop forwards requests with invalid header fields; set dropInvalidHeaderFields: true (ELB.4).",
            ],
        );
    });

    it("breaks: a production load balancer without deletion protection; preproduction may go without", async () => {
        const bare = { ...HARDENED, enableDeletionProtection: false };
        assert.deepStrictEqual(await violations("load-balancer-hardening", balancer(LB_LOAD_BALANCER, bare)), [
            "mandatory: Production load balancer shop can be deleted; set enableDeletionProtection: true (ELB.6).",
        ]);
        assert.deepStrictEqual(
            await violations("load-balancer-hardening", balancer(LB_LOAD_BALANCER, bare, "preprod")),
            [],
        );
    });

    it("breaks: an HTTPS listener on the ELB default policy or a TLS 1.0 policy", async () => {
        const { sslPolicy: _, ...unset } = HTTPS;
        assert.match(
            (await violations("load-balancer-hardening", balancer(LB_LISTENER, unset)))[0],
            /^mandatory: HTTPS listener shop uses TLS policy \(the ELB default, which allows TLS 1\.0\); use one of ELBSecurityPolicy-TLS13-1-2-Res-2021-06/,
        );
        assert.match(
            (
                await violations(
                    "load-balancer-hardening",
                    balancer(LB_LISTENER, { ...HTTPS, sslPolicy: "ELBSecurityPolicy-2016-08" }),
                )
            )[0],
            /uses TLS policy ELBSecurityPolicy-2016-08;/,
        );
    });

    it("breaks: a TLS 1.3/1.2 policy that also offers CBC or non-forward-secret suites (the non-Res TLS13-1-2 policies)", async () => {
        for (const sslPolicy of [
            "ELBSecurityPolicy-TLS13-1-2-2021-06",
            "ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04",
            "ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06",
        ]) {
            assert.match(
                (await violations("load-balancer-hardening", balancer(LB_LISTENER, { ...HTTPS, sslPolicy })))[0] ?? "",
                new RegExp(`uses TLS policy ${sslPolicy};`),
                sslPolicy,
            );
        }
    });

    it("breaks: an HTTP listener that forwards instead of redirecting", async () => {
        assert.deepStrictEqual(
            await violations(
                "load-balancer-hardening",
                balancer(LB_LISTENER, { ...HTTP, defaultActions: [{ type: "forward", targetGroupArn: UNKNOWN }] }),
            ),
            [
                "mandatory: HTTP listener shop serves content in clear text; its only default action must redirect to HTTPS (ELB.1).",
            ],
        );
    });
});
