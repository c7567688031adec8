// A production stack file's keys as parseStackConfig reads them, and the problems a change to them brings: what the
// key specs (tests/stacks/*-keys.spec.ts) start from.
import * as assert from "assert";
import { ConfigError, parseStackConfig } from "../../stacks";

const BASE: Readonly<Record<string, unknown>> = {
    profile: "production",
    vpcCidr: "10.20.0.0/16",
    availabilityZones: ["eu-west-3a", "eu-west-3b", "eu-west-3c"],
    domain: "example.com",
    internalDomain: "prod.example.internal",
    operatorCidrs: ["203.0.113.0/24"],
    alarmEmail: "ops@example.com",
    adminPath: "ops_7f3k",
    loadBalancerCertificateArn: "arn:aws:acm:eu-west-3:123456789012:certificate/6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
    cdnCertificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
    owner: "ecommerce-platform",
    costCentre: "CC-4200",
};

export const parse = (overrides: Record<string, unknown>, stack = "prod") =>
    parseStackConfig({ ...BASE, ...overrides }, { stack, region: "eu-west-3" });

/** Each problem as `<key path>: <message>`; none when the keys parse. */
export function problems(overrides: Record<string, unknown>): string[] {
    try {
        parse(overrides);
    } catch (e) {
        assert.ok(e instanceof ConfigError, String(e));
        return e.problems.map((p) => `${p.path}: ${p.message}`);
    }
    return [];
}
