// The Pulumi import file (`pulumi import --file`) of what an existing estate can hand over to a stack instead of the
// stack creating it anew (docs/migration.md, "Adopting what survives"): every adoptable resource the program registers,
// with its type, logical name and parent, and an id the operator fills in. The schema is the CLI's own
// (pulumi/pulumi pkg/cmd/pulumi/operations/import.go, importFile and importSpec; https://www.pulumi.com/docs/iac/guides/migration/import/,
// "Bulk Import Operations").
import { StateResource, providerUrn, urnName } from "../state";

/** What `pulumi preview --import-file` writes for an id the operator fills in. */
export const ID_PLACEHOLDER = "<PLACEHOLDER>";

/**
 * The types an estate keeps and the stack adopts, with the id `pulumi import` takes for each (the provider's import
 * section). Left out on purpose: buckets (auto-named here, so an adopted bucket's name would differ from what the
 * program plans and the next `up` would replace it: pulumi/pulumi#12378; their objects are copied instead), Elastic
 * IPs (kept by allocation id, never resources of the stack: magento:gatewayAllocationId...), databases and file
 * systems (restored or copied: docs/migration.md).
 */
export const ADOPTABLE: Readonly<Record<string, string>> = {
    "aws:route53/zone:Zone": "the hosted zone's id (Z...)",
    "aws:route53/record:Record": "<zone id>_<record name>_<type>, such as Z0123456789ABC_www.example.com_CNAME",
    "aws:acm/certificate:Certificate": "the certificate's ARN (one ACM issued for exactly these names)",
    "aws:ec2/customerGateway:CustomerGateway": "the customer gateway's id (cgw-...)",
};

export interface ImportSpec {
    readonly type: string;
    /** The name in generated code; unique in the file. */
    readonly name: string;
    /** The resource's name in the program, the last segment of its URN. */
    readonly logicalName: string;
    readonly id?: string;
    /** A name of this file: a component entry's, or a nameTable key. */
    readonly parent?: string;
    /** A nameTable key. */
    readonly provider?: string;
    /** An empty component the import creates, as parent of the imported resources. */
    readonly component?: boolean;
}

export interface ImportFile {
    readonly nameTable: Record<string, string>;
    readonly resources: ImportSpec[];
    /** Inputs of explicit providers the stack does not hold yet, so that the import can create them (import.go). */
    readonly providerInputs?: Record<string, Record<string, unknown>>;
}

/** A private zone's records are the new VPC's names, never the estate's: they and the zone are created. */
function isPrivateZone(r: StateResource): boolean {
    return r.type === "aws:route53/zone:Zone" && Array.isArray(r.inputs?.vpcs) && r.inputs.vpcs.length > 0;
}

export function adoptable(resources: readonly StateResource[]): StateResource[] {
    const privateZones = new Set(resources.filter(isPrivateZone).map((r) => r.urn));
    return resources.filter(
        (r) =>
            r.custom &&
            ADOPTABLE[r.type] !== undefined &&
            !isPrivateZone(r) &&
            !(r.propertyDependencies?.zoneId ?? []).some((urn) => privateZones.has(urn)),
    );
}

/**
 * The import file of a stack's adoptable resources. `deployed`: the stack already holds their parents (a later
 * adoption into a running stack), named in the nameTable by URN; otherwise (a new stack, the migration's case) each
 * parent component is an empty component entry, created by the import as `pulumi preview --import-file` writes them.
 */
export function importFile(resources: readonly StateResource[], deployed: boolean): ImportFile {
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const names = uniqueNames(resources);
    const adopted = adoptable(resources);
    const components: StateResource[] = [];
    const nameTable: Record<string, string> = {};
    const providerInputs: Record<string, Record<string, unknown>> = {};

    /** A parent's name in the file, its ancestors first; none for the stack itself. */
    const parentName = (r: StateResource): string | undefined => {
        const parent = r.parent === undefined ? undefined : byUrn.get(r.parent);
        if (parent === undefined || parent.type === "pulumi:pulumi:Stack") {
            return undefined;
        }
        const name = names.get(parent.urn)!;
        if (deployed) {
            nameTable[name] = parent.urn;
        } else if (!components.includes(parent)) {
            parentName(parent);
            components.push(parent);
        }
        return name;
    };
    const providerName = (r: StateResource): string | undefined => {
        const urn = r.provider === undefined ? undefined : providerUrn(r.provider);
        const provider = urn === undefined ? undefined : byUrn.get(urn);
        if (provider === undefined || urnName(provider.urn).startsWith("default")) {
            return undefined; // the stack's default provider, which the import creates from the stack's configuration
        }
        const name = names.get(provider.urn)!;
        nameTable[name] = provider.urn;
        providerInputs[name] = provider.inputs ?? {};
        return name;
    };

    const spec = (r: StateResource, what: { id: string; provider?: string } | { component: true }): ImportSpec => {
        const parent = parentName(r);
        return {
            type: r.type,
            name: names.get(r.urn)!,
            logicalName: urnName(r.urn),
            ...("component" in what ? what : { id: what.id }),
            ...(parent === undefined ? {} : { parent }),
            ...("provider" in what && what.provider !== undefined ? { provider: what.provider } : {}),
        };
    };
    const specs = adopted.map((r) => spec(r, { id: ID_PLACEHOLDER, provider: providerName(r) }));
    const componentSpecs = components.map((c) => spec(c, { component: true }));
    return {
        nameTable,
        resources: [...componentSpecs, ...specs],
        ...(Object.keys(providerInputs).length > 0 ? { providerInputs } : {}),
    };
}

/** A name per resource, unique in the stack: the logical name, with the type's name (and a number) where two share it. */
function uniqueNames(resources: readonly StateResource[]): Map<string, string> {
    const count = new Map<string, number>();
    resources.forEach((r) => count.set(urnName(r.urn), (count.get(urnName(r.urn)) ?? 0) + 1));
    const taken = new Set<string>();
    return new Map(
        resources.map((r) => {
            const name = urnName(r.urn);
            const base = count.get(name)! > 1 ? `${name}-${r.type.split(":").pop()!}` : name;
            let unique = base;
            for (let n = 2; taken.has(unique); n++) {
                unique = `${base}-${n}`;
            }
            taken.add(unique);
            return [r.urn, unique];
        }),
    );
}
