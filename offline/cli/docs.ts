// npm run docs: previews each stack offline and writes docs/<stack>/ (architecture diagram, inventory and outputs).
import * as fs from "fs";
import * as path from "path";
import { generateDocs, previewOf } from "../docs/generate";

const root = path.resolve(__dirname, "../..");
generateDocs(previewOf(root)).then(
    (files) => {
        for (const [file, content] of files) {
            fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
            fs.writeFileSync(path.join(root, file), content);
            console.log(`wrote ${file}`);
        }
    },
    (error: unknown) => {
        console.error(error instanceof Error ? error.message : String(error));
        process.exit(2);
    },
);
