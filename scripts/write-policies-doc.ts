// npm run docs:policies: rewrites docs/policies.md from the packs' metadata (tests/policies/metadata.spec.ts compares).
import * as fs from "fs";
import * as path from "path";
import { policiesDoc } from "./policies-doc";
import { ruleEntries } from "./rules";
import { UNENFORCED_CONTROLS } from "./unenforced-controls";

const root = path.resolve(__dirname, "..");
fs.writeFileSync(path.join(root, "docs", "policies.md"), policiesDoc(ruleEntries(root), UNENFORCED_CONTROLS));
