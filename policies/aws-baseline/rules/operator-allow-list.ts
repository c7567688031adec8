// The operators' ports stay with the operators. A security group that declares an allow-list (the AllowedSources tag
// contract, set by the gateway component from the stack's operatorCidrs and partnerCidrs) admits sources inside it
// only, and each of its rules admits internet addresses one at a time (a prefix of at least minPrefix: the tag says
// whose networks, the rule's own CIDR how much of them); SSH (22) and RDP (3389) reach a group from internet
// addresses only through such a list, and SMB (445, NetBIOS 139) never (docs/gateway.md). The whole internet
// (0.0.0.0/0, ::/0, or ranges covering every internet address) is left to no-internet-ingress, which already rejects
// it: one violation per mistake. A list is judged by the addresses it covers, not by how it is written.
import { StackValidationPolicy } from "@pulumi/policy";
import { internetCovered, isPublic, prefixLength, within } from "../../lib/cidr";
import { ALLOWED_SOURCES_TAG, listTag } from "../../lib/contracts";
import {
    describeIngress,
    ingresses,
    INGRESS_TYPES,
    internetOpenings,
    opensTcpPort,
    ownerOf,
    SECURITY_GROUPS,
} from "../../lib/ingress";
import { ofType } from "../../lib/stack";
import { knownTags } from "../../lib/values";
import { controls, RuleMetadata } from "../../lib/metadata";

const ADMIN_PORTS: Record<number, string> = { 22: "SSH", 3389: "RDP" };
/** Never from the internet: Microsoft asks perimeter firewalls to block them
 *  (https://support.microsoft.com/en-us/topic/preventing-smb-traffic-from-lateral-connections-and-entering-or-leaving-the-network-c0541db7-2244-0dce-18fd-14a3ddeb282a),
 *  Security Hub's EC2.19 counts 445 high-risk (https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-19). */
const SMB_PORTS: Record<number, string> = { 445: "SMB", 139: "NetBIOS session" };
/** One IPv4 address; an IPv6 source is held to the same host bits (minPrefix + 96). */
const MIN_PREFIX = 32;

interface Config {
    minPrefix?: number;
}

export const operatorAllowList: StackValidationPolicy = {
    name: "operator-allow-list",
    description: `A security group tagged ${ALLOWED_SOURCES_TAG} (the gateway's) admits only CIDRs inside that list, internet ones no wider than minPrefix (a /32), and the list is not the whole internet; SSH and RDP are open to internet addresses only through such a list, SMB never.`,
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            minPrefix: {
                type: "integer",
                default: MIN_PREFIX,
                minimum: 24,
                maximum: 32,
                description:
                    "Shortest IPv4 prefix an internet source of a group with an AllowedSources list may have (IPv6: 96 more); the stack's magento:gatewayMinPrefix must not be lower.",
            },
        },
    },
    validateStack: (args, reportViolation) => {
        const minPrefix = args.getConfig<Config>().minPrefix ?? MIN_PREFIX;
        const allowList = new Map(
            ofType(args.resources, ...SECURITY_GROUPS).map((r) => [
                r,
                knownTags(r.props).find(([k]) => k === ALLOWED_SOURCES_TAG)?.[1],
            ]),
        );
        for (const [group, list] of allowList) {
            const covered = list === undefined ? [] : internetCovered(listTag(list));
            if (covered.length > 0) {
                reportViolation(
                    `${group.name}'s ${ALLOWED_SOURCES_TAG} allow-list (${listTag(list!).join(", ")}) covers every internet ${covered.join(" and ")} address: ` +
                        "an allow-list of the whole internet allows nothing less. List the operators' ranges.",
                    group.urn,
                );
            }
        }
        const all = ingresses(args.resources);
        const openings = internetOpenings(all);
        for (const ingress of all.filter((i) => !openings.has(i))) {
            const list = ingress.group === undefined ? undefined : allowList.get(ingress.group);
            const allowed = list === undefined ? [] : listTag(list);
            for (const source of ingress.sources) {
                if (list !== undefined && !allowed.some((range) => within(source, range))) {
                    reportViolation(
                        `${ownerOf(ingress)} admits ${describeIngress(ingress)} from ${source}, outside its ${ALLOWED_SOURCES_TAG} allow-list (${allowed.join(", ")}). ` +
                            // Not operatorCidrs for a partner: that list is also the admin's (review of 4 Dec, I-F11).
                            "Add the range to the stack's operatorCidrs (a partner's address to partnerCidrs), or admit it elsewhere.",
                        ingress.rule.urn,
                    );
                }
                const prefix = prefixLength(source);
                const shortest = source.includes(":") ? minPrefix + 96 : minPrefix;
                if (
                    list !== undefined &&
                    allowed.some((range) => within(source, range)) &&
                    isPublic(source) &&
                    prefix !== undefined &&
                    prefix < shortest
                ) {
                    reportViolation(
                        `${ownerOf(ingress)} admits ${describeIngress(ingress)} from ${source}, a /${prefix}: a group with an ${ALLOWED_SOURCES_TAG} list admits internet addresses ` +
                            `one at a time (at least a /${shortest}, the rule's minPrefix). Open the service to the operators' or partners' own addresses (the stack's gatewayInternet).`,
                        ingress.rule.urn,
                    );
                }
                const smb = Object.keys(SMB_PORTS)
                    .map(Number)
                    .filter((port) => opensTcpPort(ingress, port));
                if (smb.length > 0 && isPublic(source)) {
                    reportViolation(
                        `${ownerOf(ingress)} admits ${smb.map((p) => SMB_PORTS[p]).join(" and ")} (${describeIngress(ingress)}) from the internet address range ${source}; ` +
                            "Microsoft asks perimeter firewalls to block SMB from the internet and Security Hub (EC2.19) counts it a high-risk port. Reach it through the VPN.",
                        ingress.rule.urn,
                    );
                }
                const admin = Object.keys(ADMIN_PORTS)
                    .map(Number)
                    .filter((port) => opensTcpPort(ingress, port));
                if (list === undefined && admin.length > 0 && isPublic(source)) {
                    reportViolation(
                        `${ownerOf(ingress)} admits ${admin.map((p) => ADMIN_PORTS[p]).join(" and ")} (${describeIngress(ingress)}) from the internet address range ${source}; ` +
                            `SSH and RDP reach servers from the internet only through an operators' allow-list (a group tagged ${ALLOWED_SOURCES_TAG}). Use SSM Session Manager, a VPN or such a group.`,
                        ingress.rule.urn,
                    );
                }
            }
        }
    },
};

export const metadata: RuleMetadata = {
    resourceTypes: INGRESS_TYPES,
    decides:
        "Decides during preview from the groups' allowed-sources tag and the CIDRs, prefixes and ports of every ingress permission.",
    remediation:
        "List only the operators' addresses (each no wider than the configured prefix) in the allowed-sources tag and the group's rules, and reach SSH/RDP through the gateway rather than opening them to internet addresses.",
    controls: controls({
        securityHub: ["EC2.13", "EC2.14"],
        awsConfig: ["restricted-ssh"],
        checkov: ["CKV_AWS_24", "CKV_AWS_25"],
        trivy: ["AVD-AWS-0107"],
    }),
};
