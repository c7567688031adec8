// The operators' ports stay with the operators. A security group that declares an allow-list (the AllowedSources tag
// contract, set by the gateway component from the stack's operatorCidrs) admits sources inside it only; and SSH (22)
// and RDP (3389) reach a group from internet addresses only through such a list. The whole internet (0.0.0.0/0, ::/0,
// or ranges covering every internet address) is left to no-internet-ingress, which already rejects it: one violation
// per mistake. A list is judged by the addresses it covers, not by how it is written.
import { StackValidationPolicy } from "@pulumi/policy";
import { internetCovered, isPublic, within } from "../../lib/cidr";
import { ALLOWED_SOURCES_TAG, listTag } from "../../lib/contracts";
import { describeIngress, ingresses, INGRESS_TYPES, internetOpenings, opensTcpPort, ownerOf, SECURITY_GROUPS } from "../../lib/ingress";
import { ofType } from "../../lib/stack";
import { knownTags } from "../../lib/values";
import { controls, RuleMetadata } from "../../lib/metadata";

const ADMIN_PORTS: Record<number, string> = { 22: "SSH", 3389: "RDP" };

export const operatorAllowList: StackValidationPolicy = {
    name: "operator-allow-list",
    description: `A security group tagged ${ALLOWED_SOURCES_TAG} (the gateway's) admits only CIDRs inside that list, and the list is not the whole internet; SSH and RDP are open to internet addresses only through such a list.`,
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
        const allowList = new Map(ofType(args.resources, ...SECURITY_GROUPS).map((r) => [r, knownTags(r.props).find(([k]) => k === ALLOWED_SOURCES_TAG)?.[1]]));
        for (const [group, list] of allowList) {
            const covered = list === undefined ? [] : internetCovered(listTag(list));
            if (covered.length > 0) {
                reportViolation(`${group.name}'s ${ALLOWED_SOURCES_TAG} allow-list (${listTag(list!).join(", ")}) covers every internet ${covered.join(" and ")} address: ` +
                    "an allow-list of the whole internet allows nothing less. List the operators' ranges.", group.urn);
            }
        }
        const all = ingresses(args.resources);
        const openings = internetOpenings(all);
        for (const ingress of all.filter((i) => !openings.has(i))) {
            const list = ingress.group === undefined ? undefined : allowList.get(ingress.group);
            const allowed = list === undefined ? [] : listTag(list);
            for (const source of ingress.sources) {
                if (list !== undefined && !allowed.some((range) => within(source, range))) {
                    reportViolation(`${ownerOf(ingress)} admits ${describeIngress(ingress)} from ${source}, outside its ${ALLOWED_SOURCES_TAG} allow-list (${allowed.join(", ")}). ` +
                        "Add the range to the stack's operatorCidrs, or admit it elsewhere.", ingress.rule.urn);
                }
                const admin = Object.keys(ADMIN_PORTS).map(Number).filter((port) => opensTcpPort(ingress, port));
                if (list === undefined && admin.length > 0 && isPublic(source)) {
                    reportViolation(`${ownerOf(ingress)} admits ${admin.map((p) => ADMIN_PORTS[p]).join(" and ")} (${describeIngress(ingress)}) from the internet address range ${source}; ` +
                        `SSH and RDP reach servers from the internet only through an operators' allow-list (a group tagged ${ALLOWED_SOURCES_TAG}). Use SSM Session Manager, a VPN or such a group.`, ingress.rule.urn);
                }
            }
        }
    },
};

export const metadata: RuleMetadata = {
    resourceTypes: INGRESS_TYPES,
    decides: "Decides during preview from the groups\' allowed-sources tag and the CIDRs and ports of every ingress permission.",
    controls: controls({ securityHub: ["EC2.13", "EC2.14"], awsConfig: ["restricted-ssh"], checkov: ["CKV_AWS_24", "CKV_AWS_25"], trivy: ["AVD-AWS-0107"] }),
};
