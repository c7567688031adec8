// reachability, asked over the analyzer protocol on the real stacks' previews, and on them with one permission an
// operator might add by mistake: a tier that does not use MySQL, Rundeck opened to the internet, the VPC or a tier other than the VPN, the gateway opened
// to the VPC, EFS opened to the whole VPC.
import * as assert from "assert";
import { StateResource } from "../../../offline/state";
import { EC2_SECURITY_GROUP, VPC_SECURITY_GROUP_INGRESS_RULE } from "../../../policies/lib/types";
import { PREPROD_NFS } from "../../fixtures/stacks";
import { StackBuilder, UNKNOWN, violations } from "../../helpers/packs";
import { named } from "../../helpers/reachability";
import { stackResources } from "../../helpers/stacks";

/** prod with one more ingress permission on the group named `group`: from `source` (a group name) or a CIDR. */
async function prodWith(
    group: string,
    port: number,
    source: { group?: string; cidr?: string },
): Promise<StateResource[]> {
    const prod = await stackResources("prod");
    const b = new StackBuilder("prod");
    const target = named(prod, EC2_SECURITY_GROUP, `::${group}`);
    const from = source.group === undefined ? [] : [named(prod, EC2_SECURITY_GROUP, `::${source.group}`)];
    const admitted = source.cidr !== undefined ? { cidrIpv4: source.cidr } : { referencedSecurityGroupId: UNKNOWN };
    b.add(
        VPC_SECURITY_GROUP_INGRESS_RULE,
        "mistake",
        { securityGroupId: UNKNOWN, ipProtocol: "tcp", fromPort: port, toPort: port, ...admitted },
        { securityGroupId: [target], referencedSecurityGroupId: from },
    );
    return [...prod, ...b.resources];
}

describe("magento / reachability", () => {
    it("keeps: the real stacks, EFS or the NFS server, decided during preview", async () => {
        assert.deepStrictEqual(await violations("reachability", await stackResources("prod")), []);
        assert.deepStrictEqual(await violations("reachability", await stackResources("preprod")), []);
        assert.deepStrictEqual(
            await violations("reachability", await stackResources("preprod", { changes: PREPROD_NFS })),
            [],
        );
    });

    it("breaks: the Windows tier admitted to MySQL, which only Magento, Rundeck and the side applications use", async () => {
        assert.deepStrictEqual(
            await violations(
                "reachability",
                await prodWith("magento-prod-mysql-sg", 3306, { group: "magento-prod-windows-sg" }),
            ),
            [
                "mandatory: database magento-prod-mysql-db admits tier windows on tcp 3306 (mistake): only the tiers that use it may reach it (web, backoffice, rundeck, sideapps).",
            ],
        );
    });

    it("breaks: EFS opened to the whole VPC instead of the web and back-office tiers", async () => {
        assert.deepStrictEqual(
            await violations("reachability", await prodWith("magento-prod-shared-sg", 2049, { cidr: "10.20.0.0/16" })),
            [
                "mandatory: efs magento-prod-shared-fs admits vpc 10.20.0.0/16 on tcp 2049 (mistake): only the tiers that use it may reach it (web, backoffice, datasync).",
            ],
        );
    });

    it("breaks: Rundeck's UI opened to an address outside the VPC", async () => {
        assert.deepStrictEqual(
            await violations(
                "reachability",
                await prodWith("magento-prod-rundeck-ui-sg", 4443, { cidr: "192.0.2.0/24" }),
            ),
            [
                "mandatory: tier rundeck admits cidr 192.0.2.0/24 on tcp 4443 (mistake): it admits only the VPN's clients (through the vpn tier's group).",
            ],
        );
    });

    it("breaks: Rundeck's UI opened to the whole VPC, where any compromised server would reach it", async () => {
        assert.deepStrictEqual(
            await violations(
                "reachability",
                await prodWith("magento-prod-rundeck-ui-sg", 4443, { cidr: "10.20.0.0/16" }),
            ),
            [
                "mandatory: tier rundeck admits vpc 10.20.0.0/16 on tcp 4443 (mistake): it admits only the VPN's clients (through the vpn tier's group).",
            ],
        );
    });

    it("breaks: Rundeck's UI opened to a tier other than the VPN's, the front end", async () => {
        assert.deepStrictEqual(
            await violations(
                "reachability",
                await prodWith("magento-prod-rundeck-ui-sg", 4443, { group: "magento-prod-web-sg" }),
            ),
            [
                "mandatory: tier rundeck admits tier web on tcp 4443 (mistake): it admits only the VPN's clients (through the vpn tier's group).",
            ],
        );
    });

    it("breaks: the gateway admitting the VPC, not only the operators' allow-list", async () => {
        assert.deepStrictEqual(
            await violations("reachability", await prodWith("magento-prod-haproxy-sg", 445, { cidr: "10.20.0.0/16" })),
            [
                "mandatory: tier gateway admits vpc 10.20.0.0/16 on tcp 445 (mistake): it admits only the operators' allow-list (its AllowedSources, from the stack's operatorCidrs and partnerCidrs).",
            ],
        );
    });

    it("breaks: the gateway open to the whole internet in two halves, reported as the internet, not as two ranges", async () => {
        const resources = await prodWith("magento-prod-haproxy-sg", 445, { cidr: "0.0.0.0/1" });
        const second = structuredClone(resources[resources.length - 1]);
        const props = { ...second.inputs, cidrIpv4: "128.0.0.0/1" };
        Object.assign(second, { urn: second.urn.replace("::mistake", "::mistake-2"), inputs: props, outputs: props });
        const found = await violations("reachability", [...resources, second]);
        assert.ok(
            found.length > 0 && found.every((f) => / admits internet \((0|128)\.0\.0\.0\/1\) on tcp 445/.test(f)),
            found.join("\n"),
        );
    });

    it("keeps: one half of the internet is a range, not the internet", async () => {
        const found = await violations(
            "reachability",
            await prodWith("magento-prod-haproxy-sg", 445, { cidr: "0.0.0.0/1" }),
        );
        assert.ok(
            found.every((f) => / admits cidr 0\.0\.0\.0\/1 on tcp 445/.test(f)),
            found.join("\n"),
        );
    });
});
