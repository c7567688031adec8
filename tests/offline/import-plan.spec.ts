// The import file of what prod can adopt from the estate (docs/migration.md, "Adopting what survives"), written by
// `npm run import-plan` as the README runs it: every adoptable resource of the stack with its type, logical name and
// parent, parents named as the CLI resolves them, so `pulumi import --file` gives exactly the URNs the program
// registers (the next `up` finds them, and replaces none).
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ADOPTABLE, ID_PLACEHOLDER, ImportFile, ImportSpec, importFile } from "../../offline/cli/import-file";
import { StateResource, urnName } from "../../offline/state";
import { EC2_EIP, RDS_INSTANCE, ROUTE53_ZONE, S3_BUCKET } from "../../policies/lib/types";
import { run } from "../helpers/cli";
import { prefetch, stackResources } from "../helpers/stacks";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "import-plan-"));

/** The URN `pulumi import` gives an entry: its parent's qualified type chain, as pkg/cmd/pulumi/operations/import.go
 *  parseImportFile builds it (a nameTable parent's from its URN, a component entry's from its own parents). */
function importedUrn(file: ImportFile, spec: ImportSpec, stack: string): string {
    const chain = (s: ImportSpec): string => {
        if (s.parent === undefined) {
            return s.type;
        }
        const table = file.nameTable[s.parent];
        const parentType =
            table !== undefined ? table.split("::")[2] : chain(file.resources.find((r) => r.name === s.parent)!);
        return `${parentType}$${s.type}`;
    };
    return `urn:pulumi:${stack}::magento::${chain(spec)}::${spec.logicalName}`;
}

const expected = (r: readonly StateResource[]) =>
    r
        .filter((x) => x.custom && ADOPTABLE[x.type] !== undefined)
        .filter((x) => !(x.type === ROUTE53_ZONE && Array.isArray(x.inputs?.vpcs)))
        .filter((x) => !(x.propertyDependencies?.zoneId ?? []).some((z) => z.includes("magento:dns:InternalZone")))
        .map((x) => x.urn)
        .sort();

describe("import-plan: the estate's resources a stack adopts", function () {
    this.timeout(300_000);
    prefetch(["prod"], ["preprod"]);

    for (const stack of ["prod", "preprod"]) {
        it(`${stack}: lists every adoptable resource with its type, logical name and parent, and imports them at the program's URNs`, async () => {
            const r = await stackResources(stack);
            const file = importFile(r, false);
            const adopted = file.resources.filter((s) => !s.component);
            assert.deepStrictEqual(adopted.map((s) => importedUrn(file, s, stack)).sort(), expected(r));
            assert.ok(adopted.every((s) => s.id === ID_PLACEHOLDER && ADOPTABLE[s.type] !== undefined));
            // Names are unique, and each parent is an entry before its children (a new stack holds no component yet).
            assert.strictEqual(new Set(file.resources.map((s) => s.name)).size, file.resources.length);
            file.resources.forEach((s, i) => {
                if (s.parent !== undefined && file.nameTable[s.parent] === undefined) {
                    const at = file.resources.findIndex((p) => p.name === s.parent);
                    assert.ok(at >= 0 && at < i && file.resources[at].component, `${s.name}'s parent ${s.parent}`);
                }
            });
            // What is restored, kept by allocation id, or auto-named is never adopted.
            assert.ok(adopted.every((s) => ![S3_BUCKET, EC2_EIP, RDS_INSTANCE].includes(s.type)));
        });
    }

    it("prod: its customer gateways and requested certificates, no zone (its DNS is at a registrar); with --deployed the parents are nameTable URNs", async () => {
        const r = await stackResources("prod");
        const counts = (f: ImportFile) =>
            Object.fromEntries(
                Object.keys(ADOPTABLE).map((t) => [t, f.resources.filter((s) => s.type === t && !s.component).length]),
            );
        assert.deepStrictEqual(counts(importFile(r, false)), {
            "aws:route53/zone:Zone": 0,
            "aws:route53/record:Record": 0,
            "aws:acm/certificate:Certificate": 4,
            "aws:ec2/customerGateway:CustomerGateway": 3,
        });
        const deployed = importFile(r, true);
        assert.ok(deployed.resources.every((s) => !s.component));
        const byUrn = new Map(r.map((x) => [x.urn, x]));
        for (const s of deployed.resources) {
            const urn = importedUrn(deployed, s, "prod");
            assert.strictEqual(deployed.nameTable[s.parent!], byUrn.get(urn)!.parent, s.name);
            assert.strictEqual(urnName(urn), s.logicalName);
        }
    });

    it("runs as the README says: writes the file and tells what to fill in; bad arguments exit 2 naming the problem", async () => {
        const out = path.join(tmp, "prod-import.json");
        const ok = await run("import-plan.ts", ["--stack", "prod", "--out", out]);
        assert.strictEqual(ok.code, 0, ok.stderr);
        assert.match(ok.stdout, /Wrote 7 adoptable resources of prod/);
        assert.match(ok.stdout, /aws:ec2\/customerGateway:CustomerGateway: the customer gateway's id \(cgw-\.\.\.\)/);
        assert.deepStrictEqual(
            JSON.parse(fs.readFileSync(out, "utf8")),
            importFile(await stackResources("prod"), false),
        );
        const bad: [string[], RegExp][] = [
            [["--stack", "prod"], /usage: npm run import-plan -- --stack <prod\|preprod> --out FILE/],
            [["--stack", "prod", "--out", path.join(tmp, "no", "such.json")], /the folder .* does not exist/],
            [["--stack", "prod", "--out", out, "--force"], /unknown flag --force; allowed: --stack, --out/],
            [["--stack", "prod", "--out", out, "--deployed", "yes"], /--deployed takes true or false/],
            [["--stack", "nosuch", "--out", out], /nosuch/],
        ];
        for (const [args, message] of bad) {
            const failed = await run("import-plan.ts", args);
            assert.deepStrictEqual(
                [failed.code, message.test(failed.stderr)],
                [2, true],
                `${args.join(" ")}: ${failed.stderr}`,
            );
        }
    });
});
