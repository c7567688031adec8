// mysql-secure-transport, asked over the analyzer protocol: a MySQL parameter group requiring TLS passes; one without
// the parameter, or with it OFF, fails; other engines' groups are not its business.
import * as assert from "assert";
import { StateResource } from "../../../offline/state";
import { RDS_PARAMETER_GROUP } from "../../../policies/lib/types";
import { StackBuilder, violations } from "../../helpers/packs";

const MAGENTO = [
    { name: "character_set_server", value: "utf8mb4" },
    { name: "require_secure_transport", value: "1" },
];

function parameterGroup(props: Record<string, unknown>): StateResource[] {
    const b = new StackBuilder("prod");
    b.add(RDS_PARAMETER_GROUP, "magento-params", props);
    return b.resources;
}

describe("aws-baseline / mysql-secure-transport", () => {
    it("keeps: a mysql8.4 group with require_secure_transport 1 (or ON); a PostgreSQL group is not its business", async () => {
        assert.deepStrictEqual(
            await violations("mysql-secure-transport", parameterGroup({ family: "mysql8.4", parameters: MAGENTO })),
            [],
        );
        assert.deepStrictEqual(
            await violations(
                "mysql-secure-transport",
                parameterGroup({ family: "mysql8.0", parameters: [{ name: "require_secure_transport", value: "ON" }] }),
            ),
            [],
        );
        assert.deepStrictEqual(
            await violations("mysql-secure-transport", parameterGroup({ family: "postgres16", parameters: [] })),
            [],
        );
    });

    it("breaks: the parameter left out (RDS's default is OFF) or set to 0", async () => {
        assert.deepStrictEqual(
            await violations(
                "mysql-secure-transport",
                parameterGroup({ family: "mysql8.4", parameters: MAGENTO.slice(0, 1) }),
            ),
            [
                "mandatory: MySQL parameter group magento-params lets clients connect without TLS (require_secure_transport not set: " +
                    "RDS's default is OFF); add the parameter require_secure_transport with value 1.",
            ],
        );
        const off = await violations(
            "mysql-secure-transport",
            parameterGroup({ family: "mysql8.4", parameters: [{ name: "require_secure_transport", value: "0" }] }),
        );
        assert.match(off[0], /^mandatory: .*\(require_secure_transport = 0\)/);
    });
});
